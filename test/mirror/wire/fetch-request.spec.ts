import assert from 'node:assert/strict'
import { decodeFetchResponse, fetchRequest, splitRecordSet, LOG_OVERHEAD } from '../../../mirror/wire/fetch-request'

/* eslint-disable @typescript-eslint/no-require-imports */
const Encoder = require('kafkajs/src/protocol/encoder')
const kafkajsFetchV4 = require('kafkajs/src/protocol/requests/fetch/v4/request')
const kafkajsFetchV4Response = require('kafkajs/src/protocol/requests/fetch/v4/response')
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
const Record = require('kafkajs/src/protocol/recordBatch/record/v0')

async function batch(firstOffset: number, values: string[]): Promise<Buffer> {
  const records = values.map((v, i) => Record({ offsetDelta: i, timestampDelta: i, key: Buffer.from(`k${firstOffset + i}`), value: Buffer.from(v) }))
  return (await RecordBatch({ firstOffset, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_000 + values.length, lastOffsetDelta: values.length - 1, records })).buffer
}

/** A Fetch v4 response body as Kafka writes it (kafkajs's Encoder; field order from FetchResponse.json). */
function response(parts: Array<{ topic: string; partition: number; error?: number; hw: number; aborted?: Array<[number, number]> | null; records: Buffer | null }>): Buffer {
  const byTopic = new Map<string, typeof parts>()
  for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p])
  const e = new Encoder().writeInt32(7)
  e.writeArray([...byTopic].map(([topic, ps]) => new Encoder().writeString(topic).writeArray(ps.map((p) => {
    const pe = new Encoder().writeInt32(p.partition).writeInt16(p.error ?? 0).writeInt64(p.hw).writeInt64(p.hw)
    if (p.aborted === null || p.aborted === undefined) pe.writeInt32(-1)
    else pe.writeArray(p.aborted.map(([pid, off]) => new Encoder().writeInt64(pid).writeInt64(off)))
    return p.records === null ? pe.writeInt32(-1) : pe.writeBytes(p.records)
  }))))
  return e.buffer
}

describe('mirror/wire/fetch-request', () => {
  it('encodes Fetch v4 exactly as kafkajs does (replica_id -1, read_uncommitted, per-partition offsets)', async () => {
    const ours = await fetchRequest({ maxWaitMs: 250, maxBytes: 52428800 }, [
      { topic: 'a', partition: 0, fetchOffset: 17, maxBytes: 1048576 },
      { topic: 'b', partition: 2, fetchOffset: 2 ** 40, maxBytes: 65536 },
      { topic: 'a', partition: 1, fetchOffset: 0, maxBytes: 1048576 },
    ]).encode() as unknown as { buffer: Buffer }
    const theirs = await kafkajsFetchV4({
      replicaId: -1, maxWaitTime: 250, minBytes: 1, maxBytes: 52428800, isolationLevel: 0,
      topics: [
        { topic: 'a', partitions: [{ partition: 0, fetchOffset: '17', maxBytes: 1048576 }, { partition: 1, fetchOffset: '0', maxBytes: 1048576 }] },
        { topic: 'b', partitions: [{ partition: 2, fetchOffset: String(2 ** 40), maxBytes: 65536 }] },
      ],
    }).encode()
    assert.deepEqual(ours.buffer, theirs.buffer)
    const r = fetchRequest({ maxWaitMs: 1, maxBytes: 1 }, [])
    assert.deepEqual([r.apiKey, r.apiVersion, r.apiName], [1, 4, 'Fetch'])
  })

  it('slices whole batches out of the response, drops a trailing partial batch, keeps errors per partition', async () => {
    const b1 = await batch(10, ['x', 'yy', 'zzz'])
    const b2 = await batch(13, ['a'.repeat(100)])
    const b3 = await batch(14, ['tail', 'tail2'])
    const partial = b3.subarray(0, b3.length - 5)
    const payload = response([
      { topic: 't', partition: 0, hw: 15, aborted: [[5, 3]], records: Buffer.concat([b1, b2, partial]) },
      { topic: 't', partition: 1, error: 1, hw: 0, records: null },
      { topic: 'u', partition: 3, hw: 99, aborted: null, records: Buffer.alloc(0) },
    ])
    const res = decodeFetchResponse(payload)
    assert.equal(res.throttleTimeMs, 7)
    assert.deepEqual(res.partitions.map((p) => [p.topic, p.partition, p.errorCode, p.highWatermark, p.batches.length]),
      [['t', 0, 0, 15, 2], ['t', 1, 1, 0, 0], ['u', 3, 0, 99, 0]])
    assert.deepEqual(res.partitions[0].batches[0], b1)
    assert.deepEqual(res.partitions[0].batches[1], b2)
    // Sliced, not copied: the sender may rewrite producer fields in place.
    assert.equal(res.partitions[0].batches[0].buffer, payload.buffer)
    // kafkajs's own decoder of the same bytes sees the same records (the partial tail skipped too).
    const theirs = await kafkajsFetchV4Response.decode(payload)
    assert.deepEqual(theirs.responses[0].partitions[0].messages.map((m: { offset: string }) => m.offset), ['10', '11', '12', '13'])
  })

  it('splitRecordSet stops at a truncated header or a non-positive length', async () => {
    const b1 = await batch(0, ['v'])
    assert.deepEqual(splitRecordSet(Buffer.concat([b1, b1.subarray(0, LOG_OVERHEAD - 1)])), [b1])
    const zero = Buffer.alloc(LOG_OVERHEAD)
    assert.deepEqual(splitRecordSet(Buffer.concat([b1, zero, b1])), [b1])
    assert.deepEqual(splitRecordSet(Buffer.alloc(0)), [])
  })
})
