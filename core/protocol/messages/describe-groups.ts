// DescribeGroups (api key 15), versions 0-2, no flexible versions in this range. Wire grammar:
// DescribeGroups Request => [groups]
// DescribeGroups Response => throttle_time_ms(v1+) [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     members => member_id client_id client_host member_metadata member_assignment
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface DescribeGroupsRequest {
  groups: string[]
}

export interface DescribeGroupsResponse {
  throttleTimeMs?: number
  groups: {
    errorCode: number
    groupId: string
    groupState: string
    protocolType: string
    protocolData: string
    members: {
      memberId: string
      clientId: string
      clientHost: string
      memberMetadata: Buffer
      memberAssignment: Buffer
    }[]
  }[]
}

const request = struct(
  field('groups', arrayOf('string')),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('groups', arrayOf(struct(
    field('errorCode', 'int16'),
    field('groupId', 'string'),
    field('groupState', 'string'),
    field('protocolType', 'string'),
    field('protocolData', 'string'),
    field('members', arrayOf(struct(
      field('memberId', 'string'),
      field('clientId', 'string'),
      field('clientHost', 'string'),
      field('memberMetadata', 'bytes'),
      field('memberAssignment', 'bytes'),
    ))),
  ))),
)

export const DescribeGroups = defineApi<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: ApiKey.DescribeGroups, name: 'DescribeGroups', minVersion: 0, maxVersion: 2, flexibleMinVersion: 5,
  request, response,
})
