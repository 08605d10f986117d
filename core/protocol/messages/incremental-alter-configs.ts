// IncrementalAlterConfigs (api key 44), versions 0-1, flexible from v1. Wire grammar:
// IncrementalAlterConfigs Request => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     configs => name config_operation value
// IncrementalAlterConfigs Response => throttle_time_ms [responses]
//   responses => error_code error_message resource_type resource_name
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface IncrementalAlterConfigsRequest {
  resources: {
    resourceType: number
    resourceName: string
    configs: { name: string; configOperation: number; value: string | null }[]
  }[]
  validateOnly: boolean
}

export interface IncrementalAlterConfigsResponse {
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
      field('configOperation', 'int8'),
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

export const IncrementalAlterConfigs = defineApi<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: ApiKey.IncrementalAlterConfigs, name: 'IncrementalAlterConfigs', minVersion: 0, maxVersion: 1, flexibleMinVersion: 1,
  request, response,
})
