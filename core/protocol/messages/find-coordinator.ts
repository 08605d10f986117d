// FindCoordinator (api key 10), versions 0-2, no flexible versions in this range. Wire grammar:
// FindCoordinator Request => key key_type(v1+)
// FindCoordinator Response => throttle_time_ms(v1+) error_code error_message(v1-3) node_id host port
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { field, struct } from '../schema'

export interface FindCoordinatorRequest {
  key: string
  keyType: number
}

export interface FindCoordinatorResponse {
  throttleTimeMs?: number
  errorCode: number
  errorMessage?: string | null
  nodeId: number
  host: string
  port: number
}

const request = struct(
  field('key', 'string'),
  field('keyType', 'int8', { v: '1+' }),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('errorCode', 'int16'),
  field('errorMessage', 'string', { v: '1-3', nullable: '1-3' }),
  field('nodeId', 'int32'),
  field('host', 'string'),
  field('port', 'int32'),
)

export const FindCoordinator = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: ApiKey.FindCoordinator, name: 'FindCoordinator', minVersion: 0, maxVersion: 2, flexibleMinVersion: 3,
  request, response,
})
