import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { CorruptRecordError, OutOfOrderSequenceError } from '../../../core/log'
import { OFF_CRC } from '../../../core/protocol/records/batch-header'
import { abandon, batch, FakeClock, openManager, readEverything, withManager } from './log-helpers'
import { makeTempDir } from '../../helpers/temp-dir'

// A large lone batch has its write started before its CRC-32C is verified (GroupCommit.dispatch).
const big = (prefix: string, opts: Record<string, number> = {}): Buffer => batch(40, { valueBytes: 1024, prefix, ...opts })

describe('core/log early write of a large batch', () => {
  it('a corrupt large batch is refused, its bytes are cut off the file, and the next batch takes its place', async () => {
    await withManager(async (m) => {
      await m.createTopic('ew', 1)
      const log = m.partition('ew', 0)!
      const first = big('a')
      await log.append(first)
      const sizeBefore = log.active.size
      const bad = big('b')
      bad[OFF_CRC] ^= 0xff
      await assert.rejects(log.append(bad), (e: Error) => e instanceof CorruptRecordError && /CRC-32C mismatch/.test(e.message))
      assert.equal(log.logEndOffset, 40)
      await log.flush()
      assert.equal(fs.statSync(log.active.logPath).size, sizeBefore, 'the refused bytes are gone from the file')
      const second = big('c')
      assert.equal((await log.append(second)).baseOffset, 40)
      assert.equal(fs.statSync(log.active.logPath).size, sizeBefore + second.length)
      assert.deepEqual(await readEverything(log), Buffer.concat([first, second]))
    })
  })

  it('corruption is reported before a sequence problem, and a retried duplicate is checked too', async () => {
    await withManager(async (m) => {
      await m.createTopic('seq', 1)
      const log = m.partition('seq', 0)!
      const ok = big('p', { producerId: 7, producerEpoch: 0, baseSequence: 0 })
      await log.append(ok)
      const gap = big('q', { producerId: 7, producerEpoch: 0, baseSequence: 100 })
      await assert.rejects(log.append(Buffer.from(gap)), OutOfOrderSequenceError)
      gap[OFF_CRC] ^= 0xff
      await assert.rejects(log.append(gap), CorruptRecordError)
      const dup = Buffer.from(ok)
      assert.equal((await log.append(dup)).duplicate, true)
      dup[OFF_CRC] ^= 0xff
      await assert.rejects(log.append(dup), CorruptRecordError)
      assert.equal(log.logEndOffset, 40)
    })
  })

  it('a burst of large concurrent appends (the first written early, the rest in one writev) lands in offset order across a roll, byte for byte', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('burst', 1, { 'segment.bytes': String(600 * 1024) })
      let log = m.partition('burst', 0)!
      const sent = Array.from({ length: 24 }, (_, i) => big(`b${i}`))
      const before = log.stats
      const results = await Promise.all(sent.map((b) => log.append(b)))
      assert.ok(log.stats.fsyncs - before.fsyncs < 24, 'the burst shared fsyncs')
      assert.ok(log.segments.length > 1, 'the burst crossed a segment roll')
      const order = results.map((r, i) => ({ i, base: r.baseOffset })).sort((a, b) => a.base - b.base)
      assert.deepEqual(order.map((o) => o.base), sent.map((_, k) => k * 40))
      const expected = Buffer.concat(order.map((o) => sent[o.i]))
      assert.deepEqual(await readEverything(log), expected)
      await abandon(m) // a crash right after the acknowledgements: all of it was durable
      m = await openManager(tmp.dir, clock)
      log = m.partition('burst', 0)!
      assert.deepEqual(await readEverything(log), expected)
      await m.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('acknowledged large batches survive a crash byte for byte, a refused one never appears', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('cr', 1)
      let log = m.partition('cr', 0)!
      const acked = [big('x'), big('y')]
      for (const b of acked) await log.append(b)
      const bad = big('z')
      bad[OFF_CRC + 1] ^= 0x01
      await assert.rejects(log.append(bad), CorruptRecordError)
      await abandon(m)
      m = await openManager(tmp.dir, clock)
      log = m.partition('cr', 0)!
      assert.equal(log.logEndOffset, 80)
      assert.deepEqual(await readEverything(log), Buffer.concat(acked))
      await m.close()
    } finally {
      tmp.cleanup()
    }
  })
})
