// Produce (api key 0), versions 3-7, no flexible versions in this range. Wire grammar:
// Produce Request => transactional_id acks timeout_ms [topic_data]
//   topic_data => name [partition_data]
//     partition_data => index records
// Produce Response => [responses] throttle_time_ms
//   responses => name [partition_responses]
//     partition_responses => index error_code base_offset log_append_time_ms log_start_offset(v5+)
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface ProduceRequest {
  transactionalId: string | null
  acks: number
  timeoutMs: number
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[]
}

export interface ProduceResponse {
  responses: {
    name: string
    partitionResponses: {
      index: number
      errorCode: number
      baseOffset: number
      logAppendTimeMs: number
      logStartOffset?: number
    }[]
  }[]
  throttleTimeMs: number
}

const request = struct(
  field('transactionalId', 'string', { nullable: '3+', default: null }),
  field('acks', 'int16'),
  field('timeoutMs', 'int32'),
  field('topicData', arrayOf(struct(
    field('name', 'string'),
    field('partitionData', arrayOf(struct(
      field('index', 'int32'),
      field('records', 'records', { nullable: '0+' }),
    ))),
  ))),
)

const response = struct(
  field('responses', arrayOf(struct(
    field('name', 'string'),
    field('partitionResponses', arrayOf(struct(
      field('index', 'int32'),
      field('errorCode', 'int16'),
      field('baseOffset', 'int64'),
      field('logAppendTimeMs', 'int64', { default: -1 }),
      field('logStartOffset', 'int64', { v: '5+', default: -1 }),
    ))),
  ))),
  field('throttleTimeMs', 'int32'),
)

export const Produce = defineApi<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce, name: 'Produce', minVersion: 3, maxVersion: 7, flexibleMinVersion: 9,
  request, response,
})
