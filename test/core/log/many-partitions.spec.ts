import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { makeTempDir } from '../../helpers/temp-dir'
import { batch, FakeClock, openManager } from './log-helpers'

describe('core/log/many-partitions', () => {
  it('serves 3,000 partitions with at most maxOpenFiles descriptors open', async function () {
    this.timeout(120_000)
    const tmp = makeTempDir()
    const clock = new FakeClock()
    const fdsOpen = (): number => fs.readdirSync('/proc/self/fd').length
    try {
      const baseline = fdsOpen()
      let m = await openManager(tmp.dir, clock, { maxOpenFiles: 100 })
      await m.createTopic('many', 3000)
      const log0 = m.partition('many', 0)!
      await Promise.all(m.topic('many')!.partitions.map((log) => log.append(batch(1, { prefix: `p${log.partition}` }))))
      assert.ok(m.fds.openCount <= 100, `cache holds ${m.fds.openCount}`)
      assert.ok(fdsOpen() - baseline <= 110, `${fdsOpen() - baseline} descriptors open`)
      for (const p of [0, 1499, 2999]) {
        const b = (await m.partition('many', p)!.read(0, 1000)).records
        assert.ok(b.includes(Buffer.from(`p${p}-0`)))
      }
      assert.equal(log0.highWatermark, 1)
      await m.close()
      assert.ok(fdsOpen() - baseline <= 5)
      m = await openManager(tmp.dir, clock, { maxOpenFiles: 100 })
      assert.equal(m.topic('many')!.partitions.length, 3000)
      assert.equal(m.partition('many', 2999)!.logEndOffset, 1)
      await m.close()
    } finally { tmp.cleanup() }
  })
})
