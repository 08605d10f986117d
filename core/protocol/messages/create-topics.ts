// CreateTopics (api key 19), versions 0-4, no flexible versions in this range. Wire grammar:
// CreateTopics Request => [topics] timeout_ms validate_only(v1+)
//   topics => name num_partitions replication_factor [assignments] [configs]
//     assignments => partition_index [broker_ids]
//     configs => name value
// CreateTopics Response => throttle_time_ms(v2+) [topics]
//   topics => name error_code error_message(v1+)
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface CreateTopicsRequest {
  topics: {
    name: string
    numPartitions: number
    replicationFactor: number
    assignments: { partitionIndex: number; brokerIds: number[] }[]
    configs: { name: string; value: string | null }[]
  }[]
  timeoutMs: number
  validateOnly: boolean
}

export interface CreateTopicsResponse {
  throttleTimeMs?: number
  topics: { name: string; errorCode: number; errorMessage?: string | null }[]
}

const request = struct(
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('numPartitions', 'int32'),
    field('replicationFactor', 'int16'),
    field('assignments', arrayOf(struct(
      field('partitionIndex', 'int32'),
      field('brokerIds', arrayOf('int32')),
    ))),
    field('configs', arrayOf(struct(
      field('name', 'string'),
      field('value', 'string', { nullable: '0+' }),
    ))),
  ))),
  field('timeoutMs', 'int32', { default: 60000 }),
  field('validateOnly', 'bool', { v: '1+' }),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '2+' }),
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { v: '1+', nullable: '0+' }),
  ))),
)

export const CreateTopics = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: ApiKey.CreateTopics, name: 'CreateTopics', minVersion: 0, maxVersion: 4, flexibleMinVersion: 5,
  request, response,
})
