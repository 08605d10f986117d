// ListOffsets (api key 2), versions 1-3, no flexible versions in this range. Wire grammar:
// ListOffsets Request => replica_id isolation_level(v2+) [topics]
//   topics => name [partitions]
//     partitions => partition_index timestamp
// ListOffsets Response => throttle_time_ms(v2+) [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code timestamp offset
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface ListOffsetsRequest {
  replicaId: number
  isolationLevel: number
  topics: { name: string; partitions: { partitionIndex: number; timestamp: number }[] }[]
}

export interface ListOffsetsResponse {
  throttleTimeMs?: number
  topics: {
    name: string
    partitions: { partitionIndex: number; errorCode: number; timestamp: number; offset: number }[]
  }[]
}

const request = struct(
  field('replicaId', 'int32'),
  field('isolationLevel', 'int8', { v: '2+' }),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('timestamp', 'int64'),
    ))),
  ))),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '2+' }),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
      field('timestamp', 'int64', { default: -1 }),
      field('offset', 'int64', { default: -1 }),
    ))),
  ))),
)

export const ListOffsets = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: ApiKey.ListOffsets, name: 'ListOffsets', minVersion: 1, maxVersion: 3, flexibleMinVersion: 6,
  request, response,
})
