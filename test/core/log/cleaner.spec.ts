import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { PartitionLog } from '../../../core/log'
import { Codec } from '../../../core/protocol/records/compression'
import { decodeBatches, encodeBatch } from '../../../core/protocol/records/record-codec'
import { makeTempDir } from '../../helpers/temp-dir'
import { waitFor } from '../../helpers/wait-for'
import { abandon, FakeClock, openManager, readEverything, withManager } from './log-helpers'

const kv = (entries: [string, string | null][], ts: number, compression: number = Codec.none): Buffer =>
  encodeBatch({ compression, records: entries.map(([k, v], i) => ({ key: k, value: v, timestamp: ts + i })) })

async function records(log: PartitionLog): Promise<{ offset: number; key: string; value: string | null }[]> {
  return decodeBatches(await readEverything(log)).flatMap((b) => b.records.map((r) => ({ offset: r.offset, key: r.key!.toString(), value: r.value === null ? null : r.value.toString() })))
}

describe('core/log/cleaner', () => {
  for (const [name, codec] of [['uncompressed', Codec.none], ['gzip', Codec.gzip], ['zstd', Codec.zstd], ['lz4', Codec.lz4], ['snappy', Codec.snappy]] as const) {
    it(`keeps the latest record per key, preserving offsets and the codec (${name})`, async () => {
      await withManager(async (m, _dir, clock) => {
        await m.createTopic('cmp', 1, { 'cleanup.policy': 'compact', 'segment.bytes': '300', 'delete.retention.ms': '1000' })
        const log = m.partition('cmp', 0)!
        const t = clock.now()
        await log.append(kv([['a', 'a1'], ['b', 'b1'], ['c', 'c1']], t, codec)) // 0..2
        await log.append(kv([['a', 'a2'], ['d', 'd1']], t, codec)) // 3..4
        await log.append(kv([['b', null], ['e', 'e1']], t, codec)) // 5..6 (b deleted)
        await log.append(kv([['c', 'c2'], ['a', 'a3']], t, codec)) // 7..8
        await log.append(kv([['z', 'active']], t, codec)) // stays in the active segment
        log.roll()
        await log.append(kv([['a', 'active-a']], t, codec))
        await log.flush()
        const cleaned = await m.runCleaner({ force: true })
        assert.ok(cleaned > 0)
        const got = await records(log)
        assert.deepEqual(got, [
          { offset: 4, key: 'd', value: 'd1' },
          { offset: 5, key: 'b', value: null }, // tombstone kept within delete.retention.ms
          { offset: 6, key: 'e', value: 'e1' },
          { offset: 7, key: 'c', value: 'c2' },
          { offset: 8, key: 'a', value: 'a3' },
          { offset: 9, key: 'z', value: 'active' },
          { offset: 10, key: 'a', value: 'active-a' },
        ])
        for (const b of decodeBatches(await readEverything(log))) assert.equal(b.compression, codec)
        assert.equal(log.logEndOffset, 11)
        assert.deepEqual(await log.offsetForTimestamp(0), { offset: 4, timestamp: t + 1 })
        // Past delete.retention.ms the tombstone goes too.
        clock.advance(5000)
        await m.runCleaner({ force: true })
        assert.deepEqual((await records(log)).map((r) => r.offset), [4, 6, 7, 8, 9, 10])
        assert.equal((await log.append(kv([['q', 'q']], t))).baseOffset, 11)
      })
    })
  }

  it('never touches the active segment and respects min.compaction.lag.ms', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('lag', 1, { 'cleanup.policy': 'compact,delete', 'min.compaction.lag.ms': '60000' })
      const log = m.partition('lag', 0)!
      await log.append(kv([['a', '1'], ['a', '2']], clock.now()))
      await m.runCleaner({ force: true })
      assert.equal((await records(log)).length, 2, 'active segment untouched')
      log.roll()
      await log.append(kv([['x', '1']], clock.now()))
      await log.flush()
      await m.runCleaner({ force: true })
      assert.equal((await records(log)).length, 3, 'too recent to compact')
      clock.advance(61_000)
      await m.runCleaner({ force: true })
      assert.deepEqual((await records(log)).map((r) => r.offset), [1, 2])
    })
  })

  it('recovery completes an interrupted swap and discards an unfinished .cleaned file', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('sw', 1, { 'cleanup.policy': 'compact' })
      const log = m.partition('sw', 0)!
      await log.append(kv([['a', '1'], ['b', '1']], clock.now()))
      await log.append(kv([['a', '2']], clock.now()))
      log.roll()
      await log.append(kv([['c', '1']], clock.now()))
      await log.flush()
      const seg0 = path.join(tmp.dir, 'sw-0', '00000000000000000000.log')
      const original = fs.readFileSync(seg0)
      await abandon(m)
      // Crash 1: cleaned output written, swap not started -> the old segment stays.
      fs.writeFileSync(`${seg0}.cleaned`, Buffer.from('half-written cleaner output'))
      m = await openManager(tmp.dir, clock)
      assert.equal(fs.existsSync(`${seg0}.cleaned`), false)
      assert.deepEqual(fs.readFileSync(seg0), original)
      assert.equal((await records(m.partition('sw', 0)!)).length, 4)
      await abandon(m)
      // Crash 2: renamed to .swap (the commit point), old indexes gone, log not yet replaced.
      const compacted = Buffer.concat([
        encodeBatch({ records: [{ key: 'b', value: '1', timestamp: clock.now() + 1, offsetDelta: 1 }], lastOffsetDelta: 1, baseTimestamp: clock.now() }),
        original.subarray(decodeBatches(original)[0].size), // the untouched second batch
      ])
      fs.writeFileSync(`${seg0}.swap`, compacted)
      fs.rmSync(seg0.replace('.log', '.index'), { force: true })
      m = await openManager(tmp.dir, clock)
      assert.equal(fs.existsSync(`${seg0}.swap`), false)
      assert.deepEqual((await records(m.partition('sw', 0)!)).map((r) => [r.offset, r.key, r.value]), [[1, 'b', '1'], [2, 'a', '2'], [3, 'c', '1']])
      await m.close()
    } finally { tmp.cleanup() }
  })
})

describe('core/log/cleaner (background)', () => {
  it('the periodic cleaner compacts a dirty log without being asked', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('auto', 1, { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.1' })
      const log = m.partition('auto', 0)!
      for (let i = 0; i < 5; i++) await log.append(kv([['same', `v${i}`]], clock.now()))
      log.roll()
      await log.append(kv([['other', 'x']], clock.now()))
      await log.flush()
      await waitFor('the background cleaner', async () => (await records(log)).length === 2, { timeoutMs: 5000 })
      assert.deepEqual((await records(log)).map((r) => [r.offset, r.value]), [[4, 'v4'], [5, 'x']])
    }, { cleanerIntervalMs: 20 })
  })
})

describe('core/log/cleaner scheduling', () => {
  it('max.compaction.lag.ms forces a clean below min.cleanable.dirty.ratio', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('lagmax', 1, { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.99', 'max.compaction.lag.ms': '60000' })
      const log = m.partition('lagmax', 0)!
      await log.append(kv([['k', '1'], ['k', '2']], clock.now()))
      log.roll()
      await log.append(kv([['x', '1']], clock.now()))
      await log.flush()
      // Cleaned once (everything dirty at first), then nothing is dirty any more.
      assert.equal(await m.runCleaner(), 1)
      await log.append(kv([['k', '3']], clock.now()))
      log.roll()
      await log.append(kv([['y', '1']], clock.now()))
      await log.flush()
      const t = clock.now()
      await m.runCleaner({ now: t })
      assert.equal((await records(log)).filter((r) => r.key === 'k').length, 2, 'dirty share below the ratio: left alone')
      await m.runCleaner({ now: t + 61_000 })
      assert.deepEqual((await records(log)).filter((r) => r.key === 'k').map((r) => r.value), ['3'])
    })
  })
})

describe('core/log/cleaner and producer state', () => {
  it('after compaction removed a producer\'s batches, a crash still restores its sequence', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('cps', 1, { 'cleanup.policy': 'compact' })
      let log = m.partition('cps', 0)!
      const send = (seq: number, key: string) => log.append(encodeBatch({ producerId: 77, producerEpoch: 0, baseSequence: seq, records: [{ key, value: `v${seq}`, timestamp: clock.now() }] }))
      for (let s = 0; s < 6; s++) await send(s, 'same') // all but the last get compacted away
      log.roll()
      await send(6, 'other')
      await log.flush()
      assert.ok((await m.runCleaner({ force: true })) > 0)
      assert.equal((await records(log)).length, 2)
      await abandon(m)
      m = await openManager(tmp.dir, clock)
      log = m.partition('cps', 0)!
      assert.deepEqual(log.producerState(77), { epoch: 0, lastSequence: 6 })
      assert.equal((await send(7, 'next')).baseOffset, 7)
      await m.close()
    } finally { tmp.cleanup() }
  })
})
