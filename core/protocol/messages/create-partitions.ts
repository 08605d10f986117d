// CreatePartitions (api key 37), versions 0-1, no flexible versions in this range. Wire grammar:
// CreatePartitions Request => [topics] timeout_ms validate_only
//   topics => name count [assignments]
//     assignments => [broker_ids]
// CreatePartitions Response => throttle_time_ms [results]
//   results => name error_code error_message
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[]
  timeoutMs: number
  validateOnly: boolean
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number
  results: { name: string; errorCode: number; errorMessage: string | null }[]
}

const request = struct(
  field('topics', arrayOf(struct(
    field('name', 'string'),
    field('count', 'int32'),
    field('assignments', arrayOf(struct(
      field('brokerIds', arrayOf('int32')),
    )), { nullable: '0+' }),
  ))),
  field('timeoutMs', 'int32'),
  field('validateOnly', 'bool'),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('results', arrayOf(struct(
    field('name', 'string'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+', default: null }),
  ))),
)

export const CreatePartitions = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: ApiKey.CreatePartitions, name: 'CreatePartitions', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
