// Fetch v4 with the record sets left as bytes: the mirror forwards most batches as they are, so
// the response decoder only cuts the record set into whole batches and never decodes a record.
//
// Fetch Request (v4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
//   topics => topic [partitions]
//     partitions => partition fetch_offset partition_max_bytes
// Fetch Response (v4) => throttle_time_ms [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset
//                   [aborted_transactions] (nullable) records (nullable bytes)
//       aborted_transactions => producer_id first_offset
import type { WireRequest } from './kafka-client'

/* eslint-disable @typescript-eslint/no-require-imports */
const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkajsEncoder
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => KafkajsDecoder

interface KafkajsEncoder {
  writeInt8(v: number): KafkajsEncoder
  writeInt32(v: number): KafkajsEncoder
  writeInt64(v: number | string): KafkajsEncoder
  writeString(v: string): KafkajsEncoder
  writeArray(v: KafkajsEncoder[]): KafkajsEncoder
  buffer: Buffer
  size(): number
}

interface KafkajsDecoder {
  offset: number
  buffer: Buffer
  readInt16(): number
  readInt32(): number
  readInt64(): { toString(): string }
  readString(): string
}

export const FETCH_API_KEY = 1
export const FETCH_VERSION = 4
/** Kafka's isolation levels; MM2's consumer keeps the consumer default, read_uncommitted. */
export const READ_UNCOMMITTED = 0
export const READ_COMMITTED = 1

export interface FetchPartition {
  topic: string
  partition: number
  fetchOffset: number
  /** partition_max_bytes: at least one whole batch comes back even if larger (KIP-74). */
  maxBytes: number
}

export interface FetchOptions {
  maxWaitMs: number
  /** Whole-response bound (fetch.max.bytes, 52428800 by default in Kafka). */
  maxBytes: number
  minBytes?: number
  isolationLevel?: number
}

export function fetchRequest(o: FetchOptions, partitions: FetchPartition[]): WireRequest {
  const byTopic = new Map<string, FetchPartition[]>()
  for (const p of partitions) {
    const list = byTopic.get(p.topic)
    if (list === undefined) byTopic.set(p.topic, [p])
    else list.push(p)
  }
  return {
    apiKey: FETCH_API_KEY, apiVersion: FETCH_VERSION, apiName: 'Fetch',
    encode: async () => new Encoder()
      .writeInt32(-1) // replica_id: a consumer, not a follower
      .writeInt32(o.maxWaitMs)
      .writeInt32(o.minBytes ?? 1)
      .writeInt32(o.maxBytes)
      .writeInt8(o.isolationLevel ?? READ_UNCOMMITTED)
      .writeArray([...byTopic].map(([topic, ps]) => new Encoder().writeString(topic).writeArray(
        ps.map((p) => new Encoder().writeInt32(p.partition).writeInt64(p.fetchOffset).writeInt32(p.maxBytes)),
      ))),
  }
}

export interface FetchedPartition {
  topic: string
  partition: number
  errorCode: number
  highWatermark: number
  lastStableOffset: number
  /** Whole batches (v2 record batches, or legacy message-set entries) in log order, sliced from the response. */
  batches: Buffer[]
}

export interface FetchResult {
  throttleTimeMs: number
  partitions: FetchedPartition[]
}

/** baseOffset int64 + batchLength int32 precede every batch (and every legacy message-set entry). */
export const LOG_OVERHEAD = 12

/**
 * Cuts a record set into whole entries, each `LOG_OVERHEAD + length` bytes. The broker may end the
 * set with a partial entry (it stops at max_bytes mid-batch); that tail is dropped.
 */
export function splitRecordSet(records: Buffer): Buffer[] {
  const out: Buffer[] = []
  let at = 0
  while (at + LOG_OVERHEAD <= records.length) {
    const size = LOG_OVERHEAD + records.readInt32BE(at + 8)
    if (size <= LOG_OVERHEAD || at + size > records.length) break
    out.push(records.subarray(at, at + size))
    at += size
  }
  return out
}

export function decodeFetchResponse(payload: Buffer): FetchResult {
  const d = new Decoder(payload)
  const throttleTimeMs = d.readInt32()
  const partitions: FetchedPartition[] = []
  const topics = d.readInt32()
  for (let t = 0; t < topics; t++) {
    const topic = d.readString()
    const count = d.readInt32()
    for (let i = 0; i < count; i++) {
      const partition = d.readInt32()
      const errorCode = d.readInt16()
      const highWatermark = Number(d.readInt64().toString())
      const lastStableOffset = Number(d.readInt64().toString())
      const aborted = d.readInt32() // nullable array: -1 is null
      if (aborted > 0) d.offset += aborted * 16
      const size = d.readInt32() // nullable bytes: -1 is null
      let batches: Buffer[] = []
      if (size > 0) {
        batches = splitRecordSet(d.buffer.subarray(d.offset, Math.min(d.offset + size, d.buffer.length)))
        d.offset += size
      }
      partitions.push({ topic, partition, errorCode, highWatermark, lastStableOffset, batches })
    }
  }
  return { throttleTimeMs, partitions }
}

/** The response half kafkajs's Connection.send takes: decode, then parse (errors stay per partition). */
export const fetchResponse = {
  decode: async (payload: Buffer): Promise<FetchResult> => decodeFetchResponse(payload),
  parse: async (r: FetchResult): Promise<FetchResult> => r,
}
