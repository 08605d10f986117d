// JoinGroup (api key 11), versions 0-5, no flexible versions in this range. Wire grammar:
// JoinGroup Request => group_id session_timeout_ms rebalance_timeout_ms(v1+) member_id group_instance_id(v5+) protocol_type [protocols]
//   protocols => name metadata
// JoinGroup Response => throttle_time_ms(v2+) error_code generation_id protocol_name leader member_id [members]
//   members => member_id group_instance_id(v5+) metadata
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface JoinGroupRequest {
  groupId: string
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  memberId: string
  groupInstanceId: string | null
  protocolType: string
  protocols: { name: string; metadata: Buffer }[]
}

export interface JoinGroupResponse {
  throttleTimeMs?: number
  errorCode: number
  generationId: number
  protocolName: string
  leader: string
  memberId: string
  members: { memberId: string; groupInstanceId?: string | null; metadata: Buffer }[]
}

const request = struct(
  field('groupId', 'string'),
  field('sessionTimeoutMs', 'int32'),
  field('rebalanceTimeoutMs', 'int32', { v: '1+', default: -1 }),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { v: '5+', nullable: '5+', default: null }),
  field('protocolType', 'string'),
  field('protocols', arrayOf(struct(
    field('name', 'string'),
    field('metadata', 'bytes'),
  ))),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '2+' }),
  field('errorCode', 'int16'),
  field('generationId', 'int32', { default: -1 }),
  field('protocolName', 'string'),
  field('leader', 'string'),
  field('memberId', 'string'),
  field('members', arrayOf(struct(
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { v: '5+', nullable: '5+', default: null }),
    field('metadata', 'bytes'),
  ))),
)

export const JoinGroup = defineApi<JoinGroupRequest, JoinGroupResponse>({
  apiKey: ApiKey.JoinGroup, name: 'JoinGroup', minVersion: 0, maxVersion: 5, flexibleMinVersion: 6,
  request, response,
})
