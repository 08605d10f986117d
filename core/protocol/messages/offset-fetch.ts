// OffsetFetch (api key 9), versions 1-5, no flexible versions in this range. Wire grammar:
// OffsetFetch Request => group_id [topics]
//   topics => name [partition_indexes]
// OffsetFetch Response => throttle_time_ms(v3+) [topics] error_code(v2-7)
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_leader_epoch(v5-7) metadata error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface OffsetFetchRequest {
  groupId: string
  topics: { name: string; partitionIndexes: number[] }[] | null
}

export interface OffsetFetchResponse {
  throttleTimeMs?: number
  topics: {
    name: string
    partitions: {
      partitionIndex: number
      committedOffset: number
      committedLeaderEpoch?: number
      metadata: string | null
      errorCode: number
    }[]
  }[]
  errorCode?: number
}

const request = struct(
  field('groupId', 'string'),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitionIndexes', arrayOf('int32')),
  )), { nullable: '2-7' }),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '3+' }),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('committedOffset', 'int64'),
      field('committedLeaderEpoch', 'int32', { v: '5-7', default: -1 }),
      field('metadata', 'string', { nullable: '0-7' }),
      field('errorCode', 'int16'),
    ))),
  ))),
  field('errorCode', 'int16', { v: '2-7' }),
)

export const OffsetFetch = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: ApiKey.OffsetFetch, name: 'OffsetFetch', minVersion: 1, maxVersion: 5, flexibleMinVersion: 6,
  request, response,
})
