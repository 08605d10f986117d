import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { OffsetOutOfRangeError } from '../../../core/log'
import { readBatchHeader } from '../../../core/protocol/records/batch-header'
import { makeTempDir } from '../../helpers/temp-dir'
import { batch, FakeClock, openManager, withManager } from './log-helpers'

describe('core/log/retention', () => {
  it('deletes whole segments older than retention.ms, never the active one', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('rt', 1, { 'segment.bytes': '1000', 'retention.ms': '60000', 'file.delete.delay.ms': '0' })
      const log = m.partition('rt', 0)!
      for (let i = 0; i < 12; i++) await log.append(batch(2, { ts: clock.now() - 120_000 + i, valueBytes: 100 }))
      for (let i = 0; i < 2; i++) await log.append(batch(2, { ts: clock.now(), valueBytes: 100 }))
      await log.flush()
      const segsBefore = log.segments.length
      const oldFiles = log.segments.slice(0, 2).map((s) => s.logPath)
      const deleted = m.runRetention()
      assert.ok(deleted > 0)
      assert.equal(log.segments.length, segsBefore - deleted)
      assert.ok(log.logStartOffset > 0)
      assert.equal(log.logStartOffset, log.segments[0].baseOffset)
      for (const f of oldFiles) assert.equal(fs.existsSync(f), false)
      await assert.rejects(log.read(0, 100), OffsetOutOfRangeError)
      assert.equal(readBatchHeader((await log.read(log.logStartOffset, 100)).records).baseOffset, log.logStartOffset)
      // Everything old and the topic idle: the active segment still stays.
      clock.advance(10 * 60_000)
      m.runRetention()
      assert.equal(log.segments.length, 1)
      assert.ok(log.active.size > 0)
    })
  })

  it('deletes oldest segments while over retention.bytes', async () => {
    await withManager(async (m) => {
      await m.createTopic('rb', 1, { 'segment.bytes': '1000', 'retention.bytes': '2500' })
      const log = m.partition('rb', 0)!
      for (let i = 0; i < 20; i++) await log.append(batch(2, { valueBytes: 100 }))
      await log.flush()
      assert.ok(log.size > 2500)
      m.runRetention()
      // Kafka's rule: delete the oldest while the log stays at or above retention.bytes without it.
      assert.ok(log.size - log.segments[0].size < 2500, `size ${log.size}, oldest ${log.segments[0].size}`)
      assert.ok(log.logStartOffset > 0)
      assert.equal(log.logEndOffset, 40)
    })
  })

  it('DeleteRecords moves logStartOffset, drops whole segments below it, and persists it', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('dr', 1, { 'segment.bytes': '1000' })
      let log = m.partition('dr', 0)!
      for (let i = 0; i < 20; i++) await log.append(batch(2, { valueBytes: 100 }))
      await log.flush()
      const segs = log.segments.length
      assert.equal(await log.deleteRecordsBefore(17), 17)
      assert.equal(log.logStartOffset, 17)
      assert.ok(log.segments.length < segs)
      assert.ok(log.segments[0].baseOffset <= 17)
      await assert.rejects(log.read(16, 100), OffsetOutOfRangeError)
      assert.ok((await log.read(17, 100)).records.length > 0)
      await assert.rejects(log.deleteRecordsBefore(41), OffsetOutOfRangeError)
      assert.equal(await log.deleteRecordsBefore(5), 17, 'never moves back')
      await m.close()
      m = await openManager(tmp.dir, clock)
      log = m.partition('dr', 0)!
      assert.equal(log.logStartOffset, 17)
      await assert.rejects(log.read(16, 100), OffsetOutOfRangeError)
      await m.close()
    } finally { tmp.cleanup() }
  })
})
