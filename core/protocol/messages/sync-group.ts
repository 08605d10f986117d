// SyncGroup (api key 14), versions 0-3, no flexible versions in this range. Wire grammar:
// SyncGroup Request => group_id generation_id member_id group_instance_id(v3+) [assignments]
//   assignments => member_id assignment
// SyncGroup Response => throttle_time_ms(v1+) error_code assignment
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface SyncGroupRequest {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
  assignments: { memberId: string; assignment: Buffer }[]
}

export interface SyncGroupResponse {
  throttleTimeMs?: number
  errorCode: number
  assignment: Buffer
}

const request = struct(
  field('groupId', 'string'),
  field('generationId', 'int32'),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { v: '3+', nullable: '3+', default: null }),
  field('assignments', arrayOf(struct(
    field('memberId', 'string'),
    field('assignment', 'bytes'),
  ))),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('errorCode', 'int16'),
  field('assignment', 'bytes'),
)

export const SyncGroup = defineApi<SyncGroupRequest, SyncGroupResponse>({
  apiKey: ApiKey.SyncGroup, name: 'SyncGroup', minVersion: 0, maxVersion: 3, flexibleMinVersion: 4,
  request, response,
})
