// DeleteAcls (api key 31), versions 0-1, no flexible versions in this range (they start at 2).
// Wire grammar:
// DeleteAcls Request => [filters]
//   filters => resource_type_filter resource_name_filter pattern_type_filter(v1+) principal_filter
//              host_filter operation permission_type
// DeleteAcls Response => throttle_time_ms [filter_results]
//   filter_results => error_code error_message [matching_acls]
//     matching_acls => error_code error_message resource_type resource_name pattern_type(v1+)
//                      principal host operation permission_type
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'
import { aclFilterFields, type AclFilterWire } from './describe-acls'

export interface DeleteAclsRequest {
  filters: AclFilterWire[]
}

export interface DeleteAclsMatchingAcl {
  errorCode: number
  errorMessage: string | null
  resourceType: number
  resourceName: string
  patternType: number
  principal: string
  host: string
  operation: number
  permissionType: number
}

export interface DeleteAclsResponse {
  throttleTimeMs: number
  filterResults: { errorCode: number; errorMessage: string | null; matchingAcls: DeleteAclsMatchingAcl[] }[]
}

const request = struct(field('filters', arrayOf(struct(...aclFilterFields))))

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('filterResults', arrayOf(struct(
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
    field('matchingAcls', arrayOf(struct(
      field('errorCode', 'int16'),
      field('errorMessage', 'string', { nullable: '0+' }),
      field('resourceType', 'int8'),
      field('resourceName', 'string'),
      field('patternType', 'int8', { v: '1+', default: 3 }),
      field('principal', 'string'),
      field('host', 'string'),
      field('operation', 'int8'),
      field('permissionType', 'int8'),
    ))),
  ))),
)

export const DeleteAcls = defineApi<DeleteAclsRequest, DeleteAclsResponse>({
  apiKey: ApiKey.DeleteAcls, name: 'DeleteAcls', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
