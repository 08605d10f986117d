// DeleteTopics (api key 20), versions 0-1, no flexible versions in this range. Wire grammar:
// DeleteTopics Request => [topic_names] timeout_ms
// DeleteTopics Response => throttle_time_ms(v1+) [responses]
//   responses => name error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface DeleteTopicsRequest {
  topicNames: string[]
  timeoutMs: number
}

export interface DeleteTopicsResponse {
  throttleTimeMs?: number
  responses: { name: string; errorCode: number }[]
}

const request = struct(
  field('topicNames', arrayOf('string')),
  field('timeoutMs', 'int32'),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('responses', arrayOf(struct(
    field('name', 'string'),
    field('errorCode', 'int16'),
  ))),
)

export const DeleteTopics = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: ApiKey.DeleteTopics, name: 'DeleteTopics', minVersion: 0, maxVersion: 1, flexibleMinVersion: 4,
  request, response,
})
