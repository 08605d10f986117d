import assert from 'node:assert/strict'
import { produceRequest, produceResponse } from '../../../mirror/wire/produce-request'
import { stampBatch } from '../../../mirror/wire/batch-rewrite'
import { encodeBatch, sampleRecords } from './raw-batches'

const kafkajsProduce = require('kafkajs/src/protocol/requests/produce')
const Encoder = require('kafkajs/src/protocol/encoder')
const Long = require('kafkajs/src/utils/long')

describe('mirror/wire/produce-request', () => {
  it('encodes Produce v3 exactly as kafkajs\'s own v3 encoder does for the same batches', async () => {
    const a = sampleRecords('a', 6)
    const b = sampleRecords('b', 4)
    const messages = (rs: typeof a) => rs.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }))
    const { request: theirs } = kafkajsProduce.protocol({ version: 3 })({
      acks: -1, timeout: 30000, producerId: Long.fromNumber(99), producerEpoch: 4,
      topicData: [{ topic: 't1', partitions: [{ partition: 2, firstSequence: 10, messages: messages(a) }, { partition: 0, firstSequence: 0, messages: messages(b) }] }],
    })
    const ba = await encodeBatch('none', a, { baseOffset: 77 })
    const bb = await encodeBatch('none', b, { baseOffset: 5 })
    stampBatch(ba, 99n, 4, 10)
    stampBatch(bb, 99n, 4, 0)
    // kafkajs's producer writes leader epoch 0 where Kafka's (and ours) writes -1.
    ba.writeInt32BE(0, 12)
    bb.writeInt32BE(0, 12)
    const ours = produceRequest({ version: 3, acks: -1, timeoutMs: 30000, topics: [{ topic: 't1', partitions: [{ partition: 2, batch: ba }, { partition: 0, batch: bb }] }] })
    assert.deepEqual([ours.apiKey, ours.apiVersion, ours.apiName], [theirs.apiKey, theirs.apiVersion, theirs.apiName])
    const [mine, kafkajs] = [await ours.encode(), await theirs.encode()] as Array<{ buffer: Buffer }>
    assert.ok(mine.buffer.equals(kafkajs.buffer), 'request bodies are byte-identical')
  })

  for (const version of [3, 7]) {
    it(`decodes a v${version} response as kafkajs's v${version} decoder reads it, error codes kept per partition`, async () => {
      const e = new Encoder().writeInt32(2)
      e.writeString('t1').writeInt32(2)
      e.writeInt32(0).writeInt16(0).writeInt64(Long.fromNumber(123456789012)).writeInt64(Long.fromNumber(-1))
      if (version >= 5) e.writeInt64(Long.fromNumber(17))
      e.writeInt32(3).writeInt16(10).writeInt64(Long.fromNumber(-1)).writeInt64(Long.fromNumber(-1))
      if (version >= 5) e.writeInt64(Long.fromNumber(-1))
      e.writeString('t2').writeInt32(1)
      e.writeInt32(1).writeInt16(6).writeInt64(Long.fromNumber(-1)).writeInt64(Long.fromNumber(1700000000000))
      if (version >= 5) e.writeInt64(Long.fromNumber(0))
      e.writeInt32(25)
      const payload: Buffer = e.buffer
      const ours = produceResponse(version).decode(payload) as { topics: unknown[]; throttleTimeMs: number; clientSideThrottleTime?: number }
      const theirs = await kafkajsProduce.protocol({ version })({ topicData: [] }).response.decode(payload)
      assert.deepEqual(ours.topics, theirs.topics.map((t: { topicName: string; partitions: Array<Record<string, string | number>> }) => ({
        topic: t.topicName,
        partitions: t.partitions.map((p) => ({
          partition: p.partition, errorCode: p.errorCode, baseOffset: Number(p.baseOffset), logAppendTimeMs: Number(p.logAppendTime),
          logStartOffset: p.logStartOffset === undefined ? -1 : Number(p.logStartOffset),
        })),
      })))
      assert.equal(ours.throttleTimeMs, 25)
      assert.equal(ours.clientSideThrottleTime, version >= 6 ? 25 : undefined)
      assert.equal(produceResponse(version).parse(ours as never), ours, 'error codes do not throw')
    })
  }
})
