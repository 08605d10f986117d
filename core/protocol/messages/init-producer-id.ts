// InitProducerId (api key 22), versions 0-1, no flexible versions in this range. Wire grammar:
// InitProducerId Request => transactional_id transaction_timeout_ms
// InitProducerId Response => throttle_time_ms error_code producer_id producer_epoch
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { field, struct } from '../schema'

export interface InitProducerIdRequest {
  transactionalId: string | null
  transactionTimeoutMs: number
}

export interface InitProducerIdResponse {
  throttleTimeMs: number
  errorCode: number
  producerId: number
  producerEpoch: number
}

const request = struct(
  field('transactionalId', 'string', { nullable: '0+' }),
  field('transactionTimeoutMs', 'int32'),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('errorCode', 'int16'),
  field('producerId', 'int64', { default: -1 }),
  field('producerEpoch', 'int16'),
)

export const InitProducerId = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId, name: 'InitProducerId', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
