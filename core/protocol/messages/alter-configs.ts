// AlterConfigs (api key 33), versions 0-1, no flexible versions in this range. Wire grammar:
// AlterConfigs Request => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     configs => name value
// AlterConfigs Response => throttle_time_ms [responses]
//   responses => error_code error_message resource_type resource_name
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface AlterConfigsRequest {
  resources: {
    resourceType: number
    resourceName: string
    configs: { name: string; value: string | null }[]
  }[]
  validateOnly: boolean
}

export interface AlterConfigsResponse {
  throttleTimeMs: number
  responses: {
    errorCode: number
    errorMessage: string | null
    resourceType: number
    resourceName: string
  }[]
}

const request = struct(
  field('resources', arrayOf(struct(
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configs', arrayOf(struct(
      field('name', 'string'),
      field('value', 'string', { nullable: '0+' }),
    ))),
  ))),
  field('validateOnly', 'bool'),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('responses', arrayOf(struct(
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
  ))),
)

export const AlterConfigs = defineApi<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs, name: 'AlterConfigs', minVersion: 0, maxVersion: 1, flexibleMinVersion: 2,
  request, response,
})
