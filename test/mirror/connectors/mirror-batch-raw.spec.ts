import assert from 'node:assert/strict'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { toRawMirrorBatch, rawBatchEnd, type BatchContext } from '../../../mirror/connectors/mirror-batch'
import { splitRecordSet } from '../../../mirror/wire/fetch-request'

/* eslint-disable @typescript-eslint/no-require-imports */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
const Decoder = require('kafkajs/src/protocol/decoder')
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')
const MessageSet = require('kafkajs/src/protocol/messageSet')

const T0 = 1_700_000_000_000
const ctx: BatchContext = { source: 'A', target: 'B', remoteTopic: (t) => `A.${t}`, compression: {}, identity: false }
const CODECS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const

interface Rec { delta: number; key: string | null; value: string | null; ts: number; headers?: Record<string, string | string[]> }

/** A v2 batch as kafkajs's producer encodes it; `lastDelta` above the last record's delta leaves compaction gaps. */
async function batch(base: number, recs: Rec[], o: { codec?: number; lastDelta?: number; attributes?: number } = {}): Promise<Buffer> {
  const first = recs[0].ts
  const records = recs.map((r) => Record({ offsetDelta: r.delta, timestampDelta: r.ts - first, key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), headers: r.headers ?? {} }))
  const buf: Buffer = (await RecordBatch({ compression: o.codec ?? 0, firstOffset: base, firstTimestamp: first, maxTimestamp: Math.max(...recs.map((r) => r.ts)), lastOffsetDelta: o.lastDelta ?? recs[recs.length - 1].delta, records })).buffer
  if (o.attributes !== undefined) buf.writeInt16BE(buf.readInt16BE(21) | o.attributes, 21) // kafkajs does not check the CRC
  return buf
}

const recs = (n: number, from = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ delta: i, key: `k${from + i}`, value: i % 5 === 4 ? null : `v${from + i}`, ts: T0 + from + i, headers: { h: String(from + i), dup: ['x', 'y'] } }))

async function decoded(b: Buffer): Promise<Array<{ key: string | null; value: string | null; ts: string; headers: unknown }>> {
  const r = await decodeBatch(new Decoder(b))
  return r.records.map((m: { key: Buffer | null; value: Buffer | null; timestamp: string; headers: Record<string, Buffer | Buffer[]> }) => ({
    key: m.key?.toString() ?? null, value: m.value?.toString() ?? null, ts: m.timestamp,
    headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])),
  }))
}

const expected = (rs: Rec[]): unknown[] => rs.map((r) => ({ key: r.key, value: r.value, ts: String(r.ts), headers: r.headers ?? {} }))

describe('mirror/connectors/mirror-batch toRawMirrorBatch', () => {
  before(() => registerKafkajsCodecs())

  for (const [name, codec] of Object.entries(CODECS)) {
    it(`forwards whole clean ${name} batches as the same bytes, offsets base+i`, async () => {
      const b1 = await batch(100, recs(4), { codec })
      const b2 = await batch(104, recs(3, 4), { codec })
      const out = (await toRawMirrorBatch(ctx, { topic: 't', partition: 2, batches: [b1, b2], fromOffset: 100 }))!
      assert.equal(out.batches[0], b1)
      assert.equal(out.batches[1], b2)
      assert.deepEqual(out.offsets, [100, 101, 102, 103, 104, 105, 106])
      assert.deepEqual(out.maxTimestamps, [T0 + 3, T0 + 6])
      assert.equal(out.bytes, b1.length + b2.length)
      assert.deepEqual([out.topic, out.partition, out.sourceKey, out.sourcePartition], ['A.t', 2, 't\u00002', { cluster: 'A', topic: 't', partition: 2 }])
    })

    it(`re-encodes a ${name} batch fetched mid-way: only records at or after the start, same codec`, async () => {
      const all = recs(6)
      const b1 = await batch(50, all, { codec })
      const out = (await toRawMirrorBatch(ctx, { topic: 't', partition: 0, batches: [b1], fromOffset: 53 }))!
      assert.equal(out.batches.length, 1)
      assert.deepEqual(out.offsets, [53, 54, 55])
      assert.equal(out.batches[0].readInt16BE(21) & 7, codec)
      assert.equal(out.batches[0].readInt32BE(57), 3)
      assert.equal(rawBatchEnd(out.batches[0]), 3) // contiguous: lastOffsetDelta 2 from base 0
      assert.deepEqual(await decoded(out.batches[0]), expected(all.slice(3)))
    })
  }

  it('skips control batches, re-encodes gapped and LogAppendTime batches, and keeps order around raw ones', async () => {
    const control = await batch(10, [{ delta: 0, key: null, value: null, ts: T0 }], { attributes: 0x30 })
    const gapped = [{ delta: 0, key: 'g0', value: 'a', ts: T0 }, { delta: 3, key: 'g3', value: 'b', ts: T0 + 5 }]
    const gap = await batch(11, gapped, { codec: 1, lastDelta: 4 })
    const clean = await batch(16, recs(2, 16))
    const appendTime = await batch(18, recs(2, 18), { attributes: 0x08 })
    const out = (await toRawMirrorBatch(ctx, { topic: 't', partition: 0, batches: [control, gap, clean, appendTime], fromOffset: 10 }))!
    assert.deepEqual(out.offsets, [11, 14, 16, 17, 18, 19])
    assert.equal(out.batches.length, 3)
    assert.deepEqual(await decoded(out.batches[0]), expected(gapped))
    assert.equal(out.batches[0].readInt16BE(21) & 7, 1)
    assert.equal(out.batches[1], clean)
    // LogAppendTime records become CreateTime records carrying the append time (the batch's max timestamp).
    const lat = await decoded(out.batches[2])
    assert.equal(out.batches[2].readInt16BE(21) & 0x08, 0)
    assert.deepEqual(lat.map((r) => [r.key, r.ts]), [['k18', String(T0 + 19)], ['k19', String(T0 + 19)]])
    assert.deepEqual(out.maxTimestamps, [T0 + 5, T0 + 17, T0 + 19])
  })

  it('returns undefined when nothing is left to replicate', async () => {
    const control = await batch(0, [{ delta: 0, key: null, value: null, ts: T0 }], { attributes: 0x20 })
    assert.equal(await toRawMirrorBatch(ctx, { topic: 't', partition: 0, batches: [control], fromOffset: 0 }), undefined)
    const old = await batch(0, recs(3))
    assert.equal(await toRawMirrorBatch(ctx, { topic: 't', partition: 0, batches: [old], fromOffset: 3 }), undefined)
    assert.equal(rawBatchEnd(old), 3)
  })

  it('re-encodes legacy (magic 1) message-set entries into one v2 batch, from the wanted offset on', async () => {
    const set: Buffer = MessageSet({ messageVersion: 1, compression: 0, entries: [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}`, timestamp: T0 + i })) }).buffer
    const entries = splitRecordSet(set)
    assert.equal(entries.length, 3)
    entries.forEach((e, i) => e.writeBigInt64BE(BigInt(5 + i), 0)) // the broker's offsets
    assert.deepEqual(entries.map(rawBatchEnd), [6, 7, 8])
    const out = (await toRawMirrorBatch(ctx, { topic: 't', partition: 0, batches: entries, fromOffset: 6 }))!
    assert.equal(out.batches.length, 1)
    assert.deepEqual(out.offsets, [6, 7])
    assert.deepEqual((await decoded(out.batches[0])).map((r) => [r.key, r.value, r.ts]), [['k1', 'v1', String(T0 + 1)], ['k2', 'v2', String(T0 + 2)]])
  })
})
