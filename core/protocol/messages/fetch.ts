// Fetch (api key 1), versions 4-11, no flexible versions in this range. Wire grammar:
// Fetch Request => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id(v7+) session_epoch(v7+) [topics] [forgotten_topics_data](v7+) rack_id(v11+)
//   topics => topic [partitions]
//     partitions => partition current_leader_epoch(v9+) fetch_offset log_start_offset(v5+) partition_max_bytes
//   forgotten_topics_data => topic [partitions]
// Fetch Response => throttle_time_ms error_code(v7+) session_id(v7+) [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset(v5+) [aborted_transactions] preferred_read_replica(v11+) records
//       aborted_transactions => producer_id first_offset
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface FetchRequest {
  replicaId: number
  maxWaitMs: number
  minBytes: number
  maxBytes: number
  isolationLevel: number
  sessionId: number
  sessionEpoch: number
  topics: {
    topic: string
    partitions: {
      partition: number
      currentLeaderEpoch: number
      fetchOffset: number
      logStartOffset: number
      partitionMaxBytes: number
    }[]
  }[]
  forgottenTopicsData: { topic: string; partitions: number[] }[]
  rackId: string
}

export interface FetchResponse {
  throttleTimeMs: number
  errorCode?: number
  sessionId?: number
  responses: {
    topic: string
    partitions: {
      partitionIndex: number
      errorCode: number
      highWatermark: number
      lastStableOffset: number
      logStartOffset?: number
      abortedTransactions: { producerId: number; firstOffset: number }[] | null
      preferredReadReplica?: number
      records: Buffer | null
    }[]
  }[]
}

const request = struct(
  field('replicaId', 'int32', { default: -1 }),
  field('maxWaitMs', 'int32'),
  field('minBytes', 'int32'),
  field('maxBytes', 'int32', { default: 2147483647 }),
  field('isolationLevel', 'int8'),
  field('sessionId', 'int32', { v: '7+' }),
  field('sessionEpoch', 'int32', { v: '7+', default: -1 }),
  field('topics', arrayOf(struct(
    field('topic', 'string'),
    field('partitions', arrayOf(struct(
      field('partition', 'int32'),
      field('currentLeaderEpoch', 'int32', { v: '9+', default: -1 }),
      field('fetchOffset', 'int64'),
      field('logStartOffset', 'int64', { v: '5+', default: -1 }),
      field('partitionMaxBytes', 'int32'),
    ))),
  ))),
  field('forgottenTopicsData', arrayOf(struct(
    field('topic', 'string'),
    field('partitions', arrayOf('int32')),
  )), { v: '7+' }),
  field('rackId', 'string', { v: '11+' }),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('errorCode', 'int16', { v: '7+' }),
  field('sessionId', 'int32', { v: '7+' }),
  field('responses', arrayOf(struct(
    field('topic', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
      field('highWatermark', 'int64'),
      field('lastStableOffset', 'int64', { default: -1 }),
      field('logStartOffset', 'int64', { v: '5+', default: -1 }),
      field('abortedTransactions', arrayOf(struct(
        field('producerId', 'int64'),
        field('firstOffset', 'int64'),
      )), { nullable: '4+' }),
      field('preferredReadReplica', 'int32', { v: '11+', default: -1 }),
      field('records', 'records', { nullable: '0+' }),
    ))),
  ))),
)

export const Fetch = defineApi<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch, name: 'Fetch', minVersion: 4, maxVersion: 11, flexibleMinVersion: 12,
  request, response,
})
