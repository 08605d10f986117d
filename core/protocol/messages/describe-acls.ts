// DescribeAcls (api key 29), versions 0-1, no flexible versions in this range (they start at 2).
// Wire grammar:
// DescribeAcls Request => resource_type_filter resource_name_filter pattern_type_filter(v1+)
//                         principal_filter host_filter operation permission_type
// DescribeAcls Response => throttle_time_ms error_code error_message [resources]
//   resources => resource_type resource_name pattern_type(v1+) [acls]
//     acls => principal host operation permission_type
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

/** One ACL filter on the wire (DescribeAcls' body, each of DeleteAcls' filters). */
export interface AclFilterWire {
  resourceTypeFilter: number
  resourceNameFilter: string | null
  /** Absent in v0, where it means LITERAL (3). */
  patternTypeFilter: number
  principalFilter: string | null
  hostFilter: string | null
  operation: number
  permissionType: number
}

export type DescribeAclsRequest = AclFilterWire

export interface DescribeAclsResponse {
  throttleTimeMs: number
  errorCode: number
  errorMessage: string | null
  resources: {
    resourceType: number
    resourceName: string
    patternType: number
    acls: { principal: string; host: string; operation: number; permissionType: number }[]
  }[]
}

/** The filter fields shared by DescribeAcls and DeleteAcls. */
export const aclFilterFields = [
  field('resourceTypeFilter', 'int8'),
  field('resourceNameFilter', 'string', { nullable: '0+' }),
  field('patternTypeFilter', 'int8', { v: '1+', default: 3 }),
  field('principalFilter', 'string', { nullable: '0+' }),
  field('hostFilter', 'string', { nullable: '0+' }),
  field('operation', 'int8'),
  field('permissionType', 'int8'),
]

const request = struct(...aclFilterFields)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('errorCode', 'int16'),
  field('errorMessage', 'string', { nullable: '0+' }),
  field('resources', arrayOf(struct(
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('patternType', 'int8', { v: '1+', default: 3 }),
    field('acls', arrayOf(struct(
      field('principal', 'string'),
      field('host', 'string'),
      field('operation', 'int8'),
      field('permissionType', 'int8'),
    ))),
  ))),
)

export const DescribeAcls = defineApi<DescribeAclsRequest, DescribeAclsResponse>({
  apiKey: ApiKey.DescribeAcls, name: 'DescribeAcls', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
