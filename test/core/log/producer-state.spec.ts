import assert from 'node:assert/strict'
import { InvalidProducerEpochError, OutOfOrderSequenceError } from '../../../core/log'
import { decodeBatches } from '../../../core/protocol/records/record-codec'
import { makeTempDir } from '../../helpers/temp-dir'
import { abandon, batch, FakeClock, openManager, withManager } from './log-helpers'

const idem = (producerId: number, producerEpoch: number, baseSequence: number, n = 2) => batch(n, { producerId, producerEpoch, baseSequence })

describe('core/log/producer-state', () => {
  it('answers a retried batch with its original offsets and stores it once', async () => {
    await withManager(async (m) => {
      await m.createTopic('idem', 1)
      const log = m.partition('idem', 0)!
      await log.append(idem(1000, 0, 0))
      const second = await log.append(idem(1000, 0, 2))
      await log.append(batch(1)) // someone else in between
      const retry = await log.append(idem(1000, 0, 2))
      assert.deepEqual(retry, { baseOffset: second.baseOffset, lastOffset: second.lastOffset, logAppendTime: -1, logStartOffset: 0, duplicate: true })
      assert.equal(log.logEndOffset, 5)
      assert.equal(decodeBatches((await log.read(0, 1 << 20)).records).length, 3)
      assert.deepEqual(log.producerState(1000), { epoch: 0, lastSequence: 3 })
      assert.equal(log.producerState(999), undefined)
    })
  })

  it('refuses a sequence gap and a stale epoch; a new epoch restarts at 0', async () => {
    await withManager(async (m) => {
      await m.createTopic('seq', 1)
      const log = m.partition('seq', 0)!
      await log.append(idem(7, 1, 0))
      await assert.rejects(log.append(idem(7, 1, 5)), OutOfOrderSequenceError)
      await assert.rejects(log.append(idem(7, 0, 2)), InvalidProducerEpochError)
      await assert.rejects(log.append(idem(7, 2, 3)), OutOfOrderSequenceError)
      assert.equal(log.logEndOffset, 2, 'refused batches left the log unchanged')
      await log.append(idem(7, 2, 0))
      assert.deepEqual(log.producerState(7), { epoch: 2, lastSequence: 1 })
      await log.append(idem(7, 2, 2))
    })
  })

  it('only the last five batches are recognised as duplicates', async () => {
    await withManager(async (m) => {
      await m.createTopic('five', 1)
      const log = m.partition('five', 0)!
      for (let s = 0; s < 12; s += 2) await log.append(idem(3, 0, s))
      assert.equal((await log.append(idem(3, 0, 2))).duplicate, true)
      await assert.rejects(log.append(idem(3, 0, 0)), OutOfOrderSequenceError)
    })
  })

  it('forgets producers idle past producer.id.expiration.ms', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('exp', 1)
      const log = m.partition('exp', 0)!
      await log.append(batch(2, { producerId: 1, producerEpoch: 0, baseSequence: 0, ts: clock.now() }))
      await log.append(batch(2, { producerId: 2, producerEpoch: 0, baseSequence: 0, ts: clock.now() + 50_000 }))
      assert.equal(m.expireProducers(clock.now() + 60_000), 1)
      assert.equal(log.producerState(1), undefined)
      assert.deepEqual(log.producerState(2), { epoch: 0, lastSequence: 1 })
    }, { producerIdExpirationMs: 30_000 })
  })

  it('producer state survives a clean restart (snapshot) and a crash (rebuilt from the log)', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock)
      await m.createTopic('ps', 1, { 'segment.bytes': '500' })
      let log = m.partition('ps', 0)!
      for (let s = 0; s < 20; s += 2) await log.append(idem(42, 3, s))
      await m.close()
      m = await openManager(tmp.dir, clock)
      log = m.partition('ps', 0)!
      assert.deepEqual(log.producerState(42), { epoch: 3, lastSequence: 19 })
      assert.equal((await log.append(idem(42, 3, 18))).duplicate, true)
      await log.append(idem(42, 3, 20))
      await log.append(idem(42, 3, 22))
      await abandon(m)
      m = await openManager(tmp.dir, clock)
      log = m.partition('ps', 0)!
      assert.deepEqual(log.producerState(42), { epoch: 3, lastSequence: 23 })
      const dup = await log.append(idem(42, 3, 22))
      assert.deepEqual([dup.duplicate, dup.baseOffset], [true, 22])
      await assert.rejects(log.append(idem(42, 3, 30)), OutOfOrderSequenceError)
      await m.close()
    } finally { tmp.cleanup() }
  })
})
