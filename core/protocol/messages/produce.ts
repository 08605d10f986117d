// Produce (api key 0), versions 0-7, no flexible versions in this range. Wire grammar:
// Produce Request => transactional_id(v3+) acks timeout_ms [topic_data]
//   topic_data => name [partition_data]
//     partition_data => index records
// Produce Response => [responses] throttle_time_ms(v1+)
//   responses => name [partition_responses]
//     partition_responses => index error_code base_offset log_append_time_ms(v2+) log_start_offset(v5+)
// v0-v2 carry the same fields around older message sets (magic 0/1); the codec never looks
// inside `records`, the handler decides what it can store.
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
  field('transactionalId', 'string', { v: '3+', nullable: '3+', default: null }),
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
      field('logAppendTimeMs', 'int64', { v: '2+', default: -1 }),
      field('logStartOffset', 'int64', { v: '5+', default: -1 }),
    ))),
  ))),
  field('throttleTimeMs', 'int32', { v: '1+', default: 0 }),
)

export const Produce = defineApi<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce, name: 'Produce', minVersion: 0, maxVersion: 7, flexibleMinVersion: 9,
  request, response,
})
