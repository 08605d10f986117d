// DeleteRecords (api key 21), versions 0-1, no flexible versions in this range. Wire grammar:
// DeleteRecords Request => [topics] timeout_ms
//   topics => name [partitions]
//     partitions => partition_index offset
// DeleteRecords Response => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index low_watermark error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface DeleteRecordsRequest {
  topics: { name: string; partitions: { partitionIndex: number; offset: number }[] }[]
  timeoutMs: number
}

export interface DeleteRecordsResponse {
  throttleTimeMs: number
  topics: {
    name: string
    partitions: { partitionIndex: number; lowWatermark: number; errorCode: number }[]
  }[]
}

const request = struct(
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('offset', 'int64'),
    ))),
  ))),
  field('timeoutMs', 'int32'),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('partitions', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('lowWatermark', 'int64'),
      field('errorCode', 'int16'),
    ))),
  ))),
)

export const DeleteRecords = defineApi<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: ApiKey.DeleteRecords, name: 'DeleteRecords', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
