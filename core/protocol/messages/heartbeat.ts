// Heartbeat (api key 12), versions 0-3, no flexible versions in this range. Wire grammar:
// Heartbeat Request => group_id generation_id member_id group_instance_id(v3+)
// Heartbeat Response => throttle_time_ms(v1+) error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { field, struct } from '../schema'

export interface HeartbeatRequest {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
}

export interface HeartbeatResponse {
  throttleTimeMs?: number
  errorCode: number
}

const request = struct(
  field('groupId', 'string'),
  field('generationId', 'int32'),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { v: '3+', nullable: '3+', default: null }),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('errorCode', 'int16'),
)

export const Heartbeat = defineApi<HeartbeatRequest, HeartbeatResponse>({
  apiKey: ApiKey.Heartbeat, name: 'Heartbeat', minVersion: 0, maxVersion: 3, flexibleMinVersion: 4,
  request, response,
})
