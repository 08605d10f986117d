// Wire-protocol codec throughput: Godwit's schema-driven codec against hand-written code on
// kafkajs's own Encoder/Decoder (the way kafkajs encodes and decodes), measured in the same run.
// Run: npx tsc -p . && node dist/bench/protocol-codec.js
import { ApiKey } from '../core/protocol/api-keys'
import { encodeRequest } from '../core/protocol/client-codec'
import { decodeRequest, encodeResponse, encodeResponseChunks } from '../core/protocol/request'

/* eslint-disable @typescript-eslint/no-explicit-any */
const Encoder: any = require('kafkajs/src/protocol/encoder')
const Decoder: any = require('kafkajs/src/protocol/decoder')

/** Runs fn for about ms milliseconds; returns [calls, seconds]. */
function timed(fn: () => unknown, ms: number): [number, number] {
  let n = 0
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(ms) * 1000000n
  let now = start
  while (now < deadline) {
    for (let i = 0; i < 10; i++) fn()
    n += 10
    now = process.hrtime.bigint()
  }
  return [n, Number(now - start) / 1e9]
}

/** Alternates short rounds of both so machine load affects them alike; prints ops/s and ratio. */
function compare(what: string, ours: () => unknown, baseline: () => unknown, rounds = 6, ms = 250): void {
  timed(ours, 300) // let the JIT settle before measuring
  timed(baseline, 300)
  const total = { ours: [0, 0], base: [0, 0] }
  for (let i = 0; i < rounds; i++) {
    const a = timed(ours, ms)
    const b = timed(baseline, ms)
    total.ours[0] += a[0]; total.ours[1] += a[1]
    total.base[0] += b[0]; total.base[1] += b[1]
  }
  const o = total.ours[0] / total.ours[1]
  const b = total.base[0] / total.base[1]
  const fmt = (x: number) => x.toFixed(0).padStart(8)
  console.log(`${what.padEnd(58)} ${fmt(o)} ops/s   baseline ${fmt(b)} ops/s   ratio ${(o / b).toFixed(2)}x`)
}

// 1. Produce v7 request, 50 partitions x 16 KiB records: decode.
const records16k = Buffer.alloc(16 * 1024, 1)
const produce = {
  transactionalId: null, acks: -1, timeoutMs: 30000,
  topicData: [{ name: 'orders', partitionData: Array.from({ length: 50 }, (_, i) => ({ index: i, records: records16k })) }],
}
const produceFrame = encodeRequest({ apiKey: ApiKey.Produce, apiVersion: 7, correlationId: 1, clientId: 'bench' }, produce).subarray(4)
function kafkajsStyleDecodeProduce(frame: Buffer): unknown {
  const d = new Decoder(frame)
  const header = { apiKey: d.readInt16(), apiVersion: d.readInt16(), correlationId: d.readInt32(), clientId: d.readString() }
  const body = {
    transactionalId: d.readString(), acks: d.readInt16(), timeoutMs: d.readInt32(),
    topicData: d.readArray((t: any) => ({ name: t.readString(), partitionData: t.readArray((p: any) => ({ index: p.readInt32(), records: p.readBytes() })) })),
  }
  return { header, body }
}
compare('decode Produce v7 request (50 x 16 KiB)', () => decodeRequest(produceFrame), () => kafkajsStyleDecodeProduce(produceFrame))

// 2. Fetch v11 response, 50 partitions x 64 KiB records: encode.
const records64k = Buffer.alloc(64 * 1024, 2)
const partitions = Array.from({ length: 50 }, (_, i) => ({
  partitionIndex: i, errorCode: 0, highWatermark: 1000, lastStableOffset: 1000, logStartOffset: 0,
  abortedTransactions: null, preferredReadReplica: -1, records: records64k,
}))
const fetch = { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: [{ topic: 'orders', partitions }] }
const fetchHeader = { apiKey: ApiKey.Fetch, apiVersion: 11, correlationId: 1 }
function kafkajsStyleEncodeFetch(): Buffer {
  const e = new Encoder().writeInt32(1).writeInt32(0).writeInt16(0).writeInt32(0)
    .writeArray([new Encoder().writeString('orders').writeArray(partitions.map((p) => new Encoder()
      .writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeInt64(p.highWatermark).writeInt64(p.lastStableOffset)
      .writeInt64(p.logStartOffset).writeInt32(-1).writeInt32(p.preferredReadReplica).writeBytes(p.records)))])
  return new Encoder().writeInt32(e.size()).writeEncoder(e).buffer
}
compare('encode Fetch v11 response (50 x 64 KiB) as one Buffer', () => encodeResponse(fetchHeader, fetch), kafkajsStyleEncodeFetch)
compare('encode Fetch v11 response (50 x 64 KiB) as chunks (writev)', () => encodeResponseChunks(fetchHeader, fetch), kafkajsStyleEncodeFetch)

// 3. Metadata v6 response, 100 topics x 10 partitions: many small fields.
const metadata = {
  throttleTimeMs: 0, clusterId: 'godwit', controllerId: 1,
  brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
  topics: Array.from({ length: 100 }, (_, t) => ({
    errorCode: 0, name: `topic-${t}`, isInternal: false,
    partitions: Array.from({ length: 10 }, (_, p) => ({ errorCode: 0, partitionIndex: p, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] })),
  })),
}
function kafkajsStyleEncodeMetadata(): Buffer {
  const e = new Encoder().writeInt32(1).writeInt32(0)
    .writeArray(metadata.brokers.map((b) => new Encoder().writeInt32(b.nodeId).writeString(b.host).writeInt32(b.port).writeString(b.rack)))
    .writeString(metadata.clusterId).writeInt32(metadata.controllerId)
    .writeArray(metadata.topics.map((t) => new Encoder().writeInt16(t.errorCode).writeString(t.name).writeBoolean(t.isInternal)
      .writeArray(t.partitions.map((p) => new Encoder().writeInt16(p.errorCode).writeInt32(p.partitionIndex).writeInt32(p.leaderId)
        .writeArray(p.replicaNodes).writeArray(p.isrNodes).writeArray(p.offlineReplicas)))))
  return new Encoder().writeInt32(e.size()).writeEncoder(e).buffer
}
compare('encode Metadata v6 response (100 topics x 10 partitions)',
  () => encodeResponse({ apiKey: ApiKey.Metadata, apiVersion: 6, correlationId: 1 }, metadata), kafkajsStyleEncodeMetadata)
