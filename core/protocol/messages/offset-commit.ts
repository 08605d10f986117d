// OffsetCommit (api key 8), versions 2-7, no flexible versions in this range. Wire grammar:
// OffsetCommit Request => group_id generation_id_or_member_epoch member_id group_instance_id(v7+) retention_time_ms(v2-4) [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_leader_epoch(v6+) committed_metadata
// OffsetCommit Response => throttle_time_ms(v3+) [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface OffsetCommitRequest {
  groupId: string
  generationIdOrMemberEpoch: number
  memberId: string
  groupInstanceId: string | null
  retentionTimeMs: number
  topics: {
    name: string
    partitions: {
      partitionIndex: number
      committedOffset: number
      committedLeaderEpoch: number
      committedMetadata: string | null
    }[]
  }[]
}

export interface OffsetCommitResponse {
  throttleTimeMs?: number
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[]
}

const request = struct(
  field('groupId', 'string'),
  field('generationIdOrMemberEpoch', 'int32', { default: -1 }),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { v: '7+', nullable: '7+', default: null }),
  field('retentionTimeMs', 'int64', { v: '2-4', default: -1 }),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('committedOffset', 'int64'),
      field('committedLeaderEpoch', 'int32', { v: '6+', default: -1 }),
      field('committedMetadata', 'string', { nullable: '0+' }),
    ))),
  ))),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '3+' }),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
    ))),
  ))),
)

export const OffsetCommit = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: ApiKey.OffsetCommit, name: 'OffsetCommit', minVersion: 2, maxVersion: 7, flexibleMinVersion: 8,
  request, response,
})
