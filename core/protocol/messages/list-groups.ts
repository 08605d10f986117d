// ListGroups (api key 16), versions 0-2, no flexible versions in this range. Wire grammar:
// ListGroups Request => 
// ListGroups Response => throttle_time_ms(v1+) error_code [groups]
//   groups => group_id protocol_type
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

/** No fields in the versions we serve. */
export type ListGroupsRequest = Record<string, never>

export interface ListGroupsResponse {
  throttleTimeMs?: number
  errorCode: number
  groups: { groupId: string; protocolType: string }[]
}

const request = struct(

)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('errorCode', 'int16'),
  field('groups', arrayOf(struct(
    field('groupId', 'string'),
    field('protocolType', 'string'),
  ))),
)

export const ListGroups = defineApi<ListGroupsRequest, ListGroupsResponse>({
  apiKey: ApiKey.ListGroups, name: 'ListGroups', minVersion: 0, maxVersion: 2, flexibleMinVersion: 3,
  request, response,
})
