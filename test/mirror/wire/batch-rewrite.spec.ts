import assert from 'node:assert/strict'
import { BATCH_OVERHEAD, batchCodec, batchRecordCount, crcMatches, nextSequence, readBatchHeader, stampBatch } from '../../../mirror/wire/batch-rewrite'
import { CODECS, encodeBatch, sampleRecords, type CodecName } from './raw-batches'

const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')
const KDecoder = require('kafkajs/src/protocol/decoder')

describe('mirror/wire/batch-rewrite', () => {
  it('reads every header field of a batch kafkajs encoded', async () => {
    const records = sampleRecords('h', 9)
    const b = await encodeBatch('snappy', records, { baseOffset: 1234, transactional: true })
    const h = readBatchHeader(b)
    assert.deepEqual(
      [h.baseOffset, h.batchLength + 12, h.partitionLeaderEpoch, h.magic, h.codec, h.transactional, h.control, h.logAppendTime,
        h.lastOffsetDelta, h.firstTimestamp, h.maxTimestamp, h.producerId, h.producerEpoch, h.baseSequence, h.recordCount],
      [1234, b.length, 3, 2, CODECS.snappy, true, false, false, 8, records[0].timestamp, records[8].timestamp, 4242n, 7, 1000, 9])
    assert.equal(batchRecordCount(b), 9)
    assert.equal(batchCodec(b), CODECS.snappy)
    assert.ok(crcMatches(b))
  })

  for (const codec of ['none', 'gzip', 'zstd'] as CodecName[]) {
    it(`stamping a ${codec} batch gives the bytes kafkajs would encode for that producer, base offset 0 and leader epoch -1`, async () => {
      const records = sampleRecords(codec, 25)
      const b = await encodeBatch(codec, records, { baseOffset: 9000, transactional: true })
      stampBatch(b, 0x1234_5678_9abcn, 12, 777)
      const golden = await encodeWith(codec, records, { producerId: 0x1234_5678_9abc, producerEpoch: 12, firstSequence: 777 })
      golden.writeInt32BE(-1, 12) // kafkajs writes leader epoch 0; Kafka's producer (and we) write -1
      assert.ok(b.equals(golden), 'same bytes as kafkajs encodes for that producer')
      assert.ok(crcMatches(b))
      // kafkajs's decoder reads the same records back.
      const decoded = await decodeKafkajsBatch(new KDecoder(b))
      assert.deepEqual(decoded.records.map((r: { key: Buffer | null }) => r.key?.toString() ?? null), records.map((r) => r.key))
      assert.equal(decoded.inTransaction, false)
    })
  }

  it('stamping refuses what is not a v2 batch, and a changed byte breaks the CRC', async () => {
    assert.throws(() => stampBatch(Buffer.alloc(BATCH_OVERHEAD - 1), 1n, 0, 0), /not a v2 record batch/)
    const b = await encodeBatch('none', sampleRecords('c', 3))
    b[b.length - 1] ^= 1
    assert.equal(crcMatches(b), false)
  })

  it('sequences advance by the record count and wrap past 2^31-1 to 0, as Kafka\'s do', () => {
    assert.equal(nextSequence(0, 10), 10)
    assert.equal(nextSequence(2147483637, 10), 2147483647)
    assert.equal(nextSequence(2147483638, 10), 0)
    assert.equal(nextSequence(2147483647, 1), 0)
    assert.equal(nextSequence(2147483640, 20), 12)
  })
})

/** The same records encoded by kafkajs for a given producer (base offset 0, not transactional). */
async function encodeWith(codec: CodecName, records: ReturnType<typeof sampleRecords>, p: { producerId: number; producerEpoch: number; firstSequence: number }): Promise<Buffer> {
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
  const Long = require('kafkajs/src/utils/long')
  const t0 = records[0].timestamp
  const e = await RecordBatch({
    compression: CODECS[codec], firstOffset: Long.fromNumber(0), firstTimestamp: t0,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)), partitionLeaderEpoch: 3, lastOffsetDelta: records.length - 1,
    producerId: Long.fromNumber(p.producerId), producerEpoch: p.producerEpoch, firstSequence: p.firstSequence,
    records: records.map((r, i) => Record({ offsetDelta: i, timestampDelta: r.timestamp - t0, key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), headers: r.headers ?? {} })),
  })
  return Buffer.from(e.buffer)
}
