// Produce (api key 0) with record sets passed through as bytes, encoded with kafkajs's Encoder.
// Produce Request (v3-v7) => transactional_id acks timeout_ms [topic_data]
//   topic_data => name [partition_data]
//     partition_data => index records
// Produce Response (v3-v7) => [responses] throttle_time_ms
//   responses => name [partition_responses]
//     partition_responses => index error_code base_offset log_append_time_ms log_start_offset(v5+)
// v3-v7 requests are the same fields; v7 is the first that may carry zstd batches (KIP-110), so a
// request with a zstd batch goes as v7 and every other one as v3. Kafka accepts exactly ONE record
// batch per partition per request from v3 on (it answers INVALID_RECORD otherwise).
import type { WireRequest, WireResponse } from './kafka-client'

/* eslint-disable @typescript-eslint/no-require-imports */
const Encoder = require('kafkajs/src/protocol/encoder')
const Decoder = require('kafkajs/src/protocol/decoder')

export const PRODUCE_API_KEY = 0

export interface ProducePartitionData {
  partition: number
  /** One complete v2 record batch. */
  batch: Buffer
}

export interface ProduceTopicData {
  topic: string
  partitions: ProducePartitionData[]
}

export interface ProduceRequestData {
  version: 3 | 7
  /** -1 (all in-sync replicas), 1 or 0. */
  acks: number
  timeoutMs: number
  topics: ProduceTopicData[]
}

export interface ProducePartitionResult {
  partition: number
  errorCode: number
  baseOffset: number
  logAppendTimeMs: number
  /** -1 below v5. */
  logStartOffset: number
}

export interface ProduceResult {
  topics: { topic: string; partitions: ProducePartitionResult[] }[]
  throttleTimeMs: number
}

export function produceRequest(data: ProduceRequestData): WireRequest {
  return {
    apiKey: PRODUCE_API_KEY,
    apiVersion: data.version,
    apiName: 'Produce',
    encode: () => {
      let bytes = 16
      for (const t of data.topics) for (const p of t.partitions) bytes += p.batch.length + 8
      const e = new Encoder(bytes)
      e.writeString(null) // transactional_id: not transactional
      e.writeInt16(data.acks)
      e.writeInt32(data.timeoutMs)
      e.writeInt32(data.topics.length)
      for (const t of data.topics) {
        e.writeString(t.topic)
        e.writeInt32(t.partitions.length)
        for (const p of t.partitions) {
          e.writeInt32(p.partition)
          e.writeBytes(p.batch) // records: int32 size, then the batch as it is
        }
      }
      return e
    },
  }
}

export function produceResponse(version: number): WireResponse<ProduceResult> {
  return {
    decode(payload: Buffer): ProduceResult {
      const d = new Decoder(payload)
      const topics = d.readArray((t: typeof d) => ({
        topic: t.readString() as string,
        partitions: t.readArray((p: typeof d): ProducePartitionResult => ({
          partition: p.readInt32(),
          errorCode: p.readInt16(),
          baseOffset: Number(p.readInt64()),
          logAppendTimeMs: Number(p.readInt64()),
          logStartOffset: version >= 5 ? Number(p.readInt64()) : -1,
        })),
      }))
      const throttleTimeMs: number = d.readInt32()
      // From v6 the broker answers first and expects the client to hold off (KIP-219).
      return Object.assign({ topics, throttleTimeMs }, version >= 6 ? { clientSideThrottleTime: throttleTimeMs } : {})
    },
    // Error codes stay in the result: the producer decides per partition what each one means.
    parse: (decoded: ProduceResult) => decoded,
  }
}
