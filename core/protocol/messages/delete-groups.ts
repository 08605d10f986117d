// DeleteGroups (api key 42), versions 0-1, no flexible versions in this range. Wire grammar:
// DeleteGroups Request => [groups_names]
// DeleteGroups Response => throttle_time_ms [results]
//   results => group_id error_code
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface DeleteGroupsRequest {
  groupsNames: string[]
}

export interface DeleteGroupsResponse {
  throttleTimeMs: number
  results: { groupId: string; errorCode: number }[]
}

const request = struct(
  field('groupsNames', arrayOf('string')),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('results', arrayOf(struct(
    field('groupId', 'string'),
    field('errorCode', 'int16'),
  ))),
)

export const DeleteGroups = defineApi<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: ApiKey.DeleteGroups, name: 'DeleteGroups', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
