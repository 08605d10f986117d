import assert from 'node:assert/strict'
import { decodeBatches } from '../../../core/protocol/records/record-codec'
import { waitFor } from '../../helpers/wait-for'
import { batch, withManager } from './log-helpers'

describe('core/log/group-commit', () => {
  it('concurrent appends get contiguous offsets and share fsyncs', async () => {
    await withManager(async (m) => {
      await m.createTopic('gc', 1)
      const log = m.partition('gc', 0)!
      const n = 200
      const before = log.stats.fsyncs
      const results = await Promise.all(Array.from({ length: n }, (_, i) => log.append(batch(2, { prefix: `p${i}` }))))
      const fsyncs = log.stats.fsyncs - before
      const offsets = results.map((r) => r.baseOffset).sort((a, b) => a - b)
      assert.deepEqual(offsets, Array.from({ length: n }, (_, i) => i * 2))
      assert.ok(fsyncs >= 1 && fsyncs < n, `${n} concurrent appends used ${fsyncs} fsyncs`)
      assert.ok(fsyncs <= 5, `expected a handful of group commits, got ${fsyncs}`)
      // every append resolved only once its data was durable and served
      assert.equal(log.highWatermark, 2 * n)
      const got = decodeBatches((await log.read(0, 1 << 24)).records)
      assert.equal(got.length, n)
      for (const r of results) {
        const b = got.find((x) => x.baseOffset === r.baseOffset)!
        assert.equal(b.records.length, 2)
      }
    })
  })

  it('each sequential append is fsynced before it resolves (default flush.messages=1)', async () => {
    await withManager(async (m) => {
      await m.createTopic('seq', 1)
      const log = m.partition('seq', 0)!
      const before = log.stats.fsyncs
      for (let i = 0; i < 5; i++) {
        await log.append(batch(1))
        assert.equal(log.stats.fsyncs - before, i + 1)
        assert.equal(log.highWatermark, i + 1)
      }
    })
  })

  it('a lax flush policy acknowledges written data and fsyncs every flush.messages', async () => {
    await withManager(async (m) => {
      await m.createTopic('lax', 1, { 'flush.messages': '10' })
      const log = m.partition('lax', 0)!
      const before = log.stats.fsyncs
      for (let i = 0; i < 9; i++) await log.append(batch(1))
      assert.equal(log.stats.fsyncs - before, 0)
      assert.equal(log.highWatermark, 9, 'served although not fsynced')
      await log.append(batch(1))
      await log.commit.idle()
      assert.equal(log.stats.fsyncs - before, 1)
      await log.append(batch(1), { requireDurable: true })
      assert.equal(log.stats.fsyncs - before, 2)
      assert.equal(log.recoveryPoint, 11)
    })
  })

  it('flush.ms bounds how long written data stays unfsynced', async () => {
    await withManager(async (m) => {
      await m.createTopic('fms', 1, { 'flush.messages': '1000000', 'flush.ms': '30' })
      const log = m.partition('fms', 0)!
      const before = log.stats.fsyncs
      await log.append(batch(1)) // resolves once written; only the timer can fsync it now
      await waitFor('the flush.ms timer to fsync', () => log.stats.fsyncs > before && log.recoveryPoint === 1, { timeoutMs: 5000 })
    })
  })

  it('emits append when the high watermark advances', async () => {
    await withManager(async (m) => {
      await m.createTopic('ev', 1)
      const log = m.partition('ev', 0)!
      const seen: number[] = []
      log.on('append', (hw: number) => seen.push(hw))
      await log.append(batch(3))
      await log.append(batch(2))
      assert.deepEqual(seen, [3, 5])
    })
  })
})
