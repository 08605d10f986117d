// LeaveGroup (api key 13), versions 0-3, no flexible versions in this range. Wire grammar:
// LeaveGroup Request => group_id member_id(v0-2) [members](v3+)
//   members => member_id group_instance_id
// LeaveGroup Response => throttle_time_ms(v1+) error_code [members](v3+)
//   members => member_id group_instance_id error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface LeaveGroupRequest {
  groupId: string
  memberId: string
  members: { memberId: string; groupInstanceId: string | null }[]
}

export interface LeaveGroupResponse {
  throttleTimeMs?: number
  errorCode: number
  members?: { memberId: string; groupInstanceId: string | null; errorCode: number }[]
}

const request = struct(
  field('groupId', 'string'),
  field('memberId', 'string', { v: '0-2' }),
  field('members', arrayOf(struct(
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { nullable: '3+', default: null }),
  )), { v: '3+' }),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('errorCode', 'int16'),
  field('members', arrayOf(struct(
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { nullable: '3+' }),
    field('errorCode', 'int16'),
  )), { v: '3+' }),
)

export const LeaveGroup = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: ApiKey.LeaveGroup, name: 'LeaveGroup', minVersion: 0, maxVersion: 3, flexibleMinVersion: 4,
  request, response,
})
