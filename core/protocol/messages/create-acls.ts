// CreateAcls (api key 30), versions 0-1, no flexible versions in this range (they start at 2).
// Wire grammar:
// CreateAcls Request => [creations]
//   creations => resource_type resource_name resource_pattern_type(v1+) principal host operation permission_type
// CreateAcls Response => throttle_time_ms [results]
//   results => error_code error_message
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface AclCreationWire {
  resourceType: number
  resourceName: string
  /** Absent in v0, where it means LITERAL (3). */
  resourcePatternType: number
  principal: string
  host: string
  operation: number
  permissionType: number
}

export interface CreateAclsRequest {
  creations: AclCreationWire[]
}

export interface CreateAclsResponse {
  throttleTimeMs: number
  results: { errorCode: number; errorMessage: string | null }[]
}

const request = struct(
  field('creations', arrayOf(struct(
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('resourcePatternType', 'int8', { v: '1+', default: 3 }),
    field('principal', 'string'),
    field('host', 'string'),
    field('operation', 'int8'),
    field('permissionType', 'int8'),
  ))),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('results', arrayOf(struct(
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
  ))),
)

export const CreateAcls = defineApi<CreateAclsRequest, CreateAclsResponse>({
  apiKey: ApiKey.CreateAcls, name: 'CreateAcls', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
