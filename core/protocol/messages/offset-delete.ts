// OffsetDelete (api key 47), versions 0-0, no flexible versions in this range. Wire grammar:
// OffsetDelete Request => group_id [topics]
//   topics => name [partitions]
//     partitions => partition_index
// OffsetDelete Response => error_code throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface OffsetDeleteRequest {
  groupId: string
  topics: { name: string; partitions: { partitionIndex: number }[] }[]
}

export interface OffsetDeleteResponse {
  errorCode: number
  throttleTimeMs: number
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[]
}

const request = struct(
  field('groupId', 'string'),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
    ))),
  ))),
)

const response = struct(
  field('errorCode', 'int16'),
  field('throttleTimeMs', 'int32'),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
    ))),
  ))),
)

export const OffsetDelete = defineApi<OffsetDeleteRequest, OffsetDeleteResponse>({
  apiKey: ApiKey.OffsetDelete, name: 'OffsetDelete', minVersion: 0, maxVersion: 0, flexibleMinVersion: null,
  request, response,
})
