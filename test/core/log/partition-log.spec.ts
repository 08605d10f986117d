import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { decodeBatches } from '../../../core/protocol/records/record-codec'
import { readBatchHeader } from '../../../core/protocol/records/batch-header'
import { CorruptRecordError, InvalidRecordError, InvalidTimestampError, OffsetOutOfRangeError, RecordTooLargeError } from '../../../core/log'
import { makeTempDir } from '../../helpers/temp-dir'
import { batch, FakeClock, openManager, withManager } from './log-helpers'

describe('core/log/partition-log', () => {
  it('assigns contiguous offsets and reads back the exact bytes', async () => {
    await withManager(async (m) => {
      await m.createTopic('t', 1)
      const log = m.partition('t', 0)!
      const sent: Buffer[] = []
      for (let i = 0; i < 20; i++) {
        const b = batch(3, { prefix: `b${i}` })
        const r = await log.append(b)
        assert.equal(r.baseOffset, i * 3)
        assert.equal(r.lastOffset, i * 3 + 2)
        assert.equal(r.logAppendTime, -1)
        sent.push(b) // rewritten in place: its baseOffset is now the assigned one
      }
      assert.equal(log.logEndOffset, 60)
      assert.equal(log.highWatermark, 60)
      const all = await log.read(0, 1 << 20)
      assert.deepEqual(all.records, Buffer.concat(sent))
      const mid = await log.read(31, 1 << 20)
      assert.equal(readBatchHeader(mid.records).baseOffset, 30) // whole batch containing 31
      const one = await log.read(31, 10) // maxBytes smaller than a batch: still one batch
      assert.equal(decodeBatches(one.records).length, 1)
      const none = await log.read(31, 10, { minOneBatch: false })
      assert.equal(none.records.length, 0)
      assert.equal((await log.read(60, 100)).records.length, 0)
      await assert.rejects(log.read(61, 100), OffsetOutOfRangeError)
    })
  })

  it('refuses bad batches with typed errors and leaves the log unchanged', async () => {
    await withManager(async (m) => {
      await m.createTopic('bad', 1, { 'max.message.bytes': '2000' })
      const log = m.partition('bad', 0)!
      await log.append(batch(2))
      const flip = batch(2); flip[flip.length - 3] ^= 0xff
      await assert.rejects(log.append(flip), CorruptRecordError)
      const magic = batch(2); magic[16] = 1
      await assert.rejects(log.append(magic), CorruptRecordError)
      await assert.rejects(log.append(batch(2, { lastOffsetDelta: 4 })), InvalidRecordError)
      const short = batch(2); short.writeInt32BE(short.length, 8)
      await assert.rejects(log.append(short), CorruptRecordError)
      await assert.rejects(log.append(Buffer.concat([batch(1), batch(1).subarray(0, 30)])), CorruptRecordError)
      await assert.rejects(log.append(batch(5, { valueBytes: 1000 })), RecordTooLargeError)
      assert.equal(log.logEndOffset, 2)
      assert.equal(log.highWatermark, 2)
      assert.equal(decodeBatches((await log.read(0, 1 << 20)).records).length, 1)
      assert.equal((await log.append(batch(1))).baseOffset, 2)
    })
  })

  it('refuses timestamps outside message.timestamp.before/after.max.ms', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('tsb', 1, { 'message.timestamp.before.max.ms': '60000', 'message.timestamp.after.max.ms': '1000' })
      const log = m.partition('tsb', 0)!
      await assert.rejects(log.append(batch(1, { ts: clock.now() - 61_000 })), (e: Error) => e instanceof InvalidTimestampError && /before\.max\.ms=60000/.test(e.message))
      await assert.rejects(log.append(batch(1, { ts: clock.now() + 5_000 })), InvalidTimestampError)
      assert.equal(log.logEndOffset, 0)
      assert.equal((await log.append(batch(1, { ts: clock.now() - 59_000 }))).baseOffset, 0)
    })
  })

  it('stamps LogAppendTime batches with the broker clock', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('lat', 1, { 'message.timestamp.type': 'LogAppendTime' })
      const log = m.partition('lat', 0)!
      const r = await log.append(batch(2, { ts: 5 }))
      assert.equal(r.logAppendTime, clock.now())
      const [b] = decodeBatches((await log.read(0, 1000)).records)
      assert.equal(b.logAppendTime, true)
      assert.deepEqual(b.records.map((x) => x.timestamp), [clock.now(), clock.now()])
    })
  })

  it('finds offsets by timestamp across segments', async () => {
    await withManager(async (m) => {
      await m.createTopic('ts', 1, { 'segment.bytes': '2000', 'index.interval.bytes': '100' })
      const log = m.partition('ts', 0)!
      for (let i = 0; i < 30; i++) await log.append(batch(5, { ts: 10_000 + i * 100, valueBytes: 50 }))
      assert.ok(log.segments.length > 3)
      assert.deepEqual(await log.offsetForTimestamp(0), { offset: 0, timestamp: 10_000 })
      assert.deepEqual(await log.offsetForTimestamp(10_000 + 1703), { offset: 17 * 5 + 3, timestamp: 11_703 })
      assert.deepEqual(await log.offsetForTimestamp(10_000 + 1750), { offset: 18 * 5, timestamp: 11_800 })
      assert.equal(await log.offsetForTimestamp(99_999), undefined)
      assert.deepEqual(await log.offsetForTimestamp(-2), { offset: 0, timestamp: -1 })
      assert.deepEqual(await log.offsetForTimestamp(-1), { offset: 150, timestamp: -1 })
    })
  })

  it('rolls segments by size and by time, with Kafka file names, and reads across them', async () => {
    await withManager(async (m, dir, clock) => {
      await m.createTopic('roll', 1, { 'segment.bytes': '1500', 'segment.ms': '60000' })
      const log = m.partition('roll', 0)!
      for (let i = 0; i < 10; i++) await log.append(batch(4, { valueBytes: 60 }))
      const bySize = log.segments.length
      assert.ok(bySize >= 3, `expected size rolls, got ${bySize} segments`)
      for (const s of log.segments.slice(0, -1)) assert.ok(s.size <= 1500)
      await log.append(batch(1))
      const before = log.segments.length
      clock.advance(59_000)
      await log.append(batch(1))
      assert.equal(log.segments.length, before, 'no roll before segment.ms')
      clock.advance(2_000)
      await log.append(batch(1))
      assert.equal(log.segments.length, before + 1, 'time roll')
      const files = fs.readdirSync(path.join(dir, 'roll-0'))
      for (const s of log.segments) {
        const name = String(s.baseOffset).padStart(20, '0')
        assert.ok(files.includes(`${name}.log`), name)
      }
      await log.flush()
      // sealed segments have their indexes on disk: 8-byte and 12-byte entries
      const sealed = log.segments[0]
      assert.equal(fs.statSync(sealed.indexPath).size % 8, 0)
      assert.equal(fs.statSync(sealed.timeIndexPath).size % 12, 0)
      assert.ok(fs.statSync(sealed.indexPath).size > 0)
      const all = decodeBatches((await log.read(0, 1 << 20)).records)
      assert.equal(all[0].baseOffset, 0)
      let expected = 0
      for (let off = 0; off < log.highWatermark;) {
        const r = await log.read(off, 1 << 20)
        for (const b of decodeBatches(r.records)) { assert.equal(b.baseOffset, expected); expected = b.baseOffset + b.lastOffsetDelta + 1 }
        off = expected
      }
      assert.equal(expected, 43)
    })
  })

  it('one append of many batches rolls mid-way with the right segment base offsets', async () => {
    await withManager(async (m) => {
      await m.createTopic('multi', 1, { 'segment.bytes': '700' })
      const log = m.partition('multi', 0)!
      await log.append(batch(1))
      const many = Buffer.concat(Array.from({ length: 8 }, (_, i) => batch(3, { prefix: `m${i}`, valueBytes: 60 })))
      const r = await log.append(many)
      assert.deepEqual([r.baseOffset, r.lastOffset], [1, 24])
      assert.ok(log.segments.length >= 3)
      for (const s of log.segments.slice(1)) {
        const first = decodeBatches((await s.readAt(0, s.size)))[0]
        assert.equal(s.baseOffset, first.baseOffset, 'a segment is named by its first offset')
      }
      for (let off = 0; off < 25; off++) {
        const [b] = decodeBatches((await log.read(off, 1)).records)
        assert.ok(b.baseOffset <= off && off <= b.baseOffset + b.lastOffsetDelta, `offset ${off} served by ${b.baseOffset}`)
      }
    })
  })

  it('segment.ms counts from the segment\'s creation, not from a restart', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock(Date.now())
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('age', 1, { 'segment.ms': '60000' })
      await m.partition('age', 0)!.append(batch(1, { ts: clock.now() }))
      await m.close()
      clock.advance(61_000)
      m = await openManager(tmp.dir, clock)
      const log = m.partition('age', 0)!
      await log.append(batch(1, { ts: clock.now() }))
      assert.equal(log.segments.length, 2, 'the reopened segment was already older than segment.ms')
      await m.close()
    } finally { tmp.cleanup() }
  })

  it('persists topics, configs and data across a clean restart', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      const info = await m.createTopic('keep', 2, { 'retention.ms': '1234' })
      await m.partition('keep', 1)!.append(batch(3))
      await m.alterTopicConfig('keep', { 'segment.bytes': '100000', 'retention.ms': null })
      await m.close()
      assert.ok(fs.existsSync(path.join(tmp.dir, '.kafka_cleanshutdown')))
      m = await openManager(tmp.dir, clock)
      assert.ok(!fs.existsSync(path.join(tmp.dir, '.kafka_cleanshutdown')))
      const t = m.topic('keep')!
      assert.deepEqual(t.topicId, info.topicId)
      assert.equal(t.partitions.length, 2)
      assert.equal(t.config['segment.bytes'], 100000)
      assert.equal(t.config['retention.ms'], 604800000)
      const entries = m.describeTopicConfig('keep')
      assert.deepEqual(entries.find((e) => e.name === 'segment.bytes'), { name: 'segment.bytes', value: '100000', isDefault: false, source: 'topic', isSensitive: false, readOnly: false })
      assert.equal(entries.find((e) => e.name === 'flush.messages')!.value, '1')
      assert.equal(m.partition('keep', 1)!.logEndOffset, 3)
      assert.equal(decodeBatches((await m.partition('keep', 1)!.read(0, 1000)).records)[0].records.length, 3)
      await m.close()
    } finally { tmp.cleanup() }
  })
})
