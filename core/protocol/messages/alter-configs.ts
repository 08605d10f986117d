// AlterConfigs (api key 33), versions 0-1, no flexible versions in this range. Wire grammar:
// AlterConfigs Request => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     configs => name value
// AlterConfigs Response => throttle_time_ms [responses]
//   responses => error_code error_message resource_type resource_name
// IncrementalAlterConfigs has the same layout with one more field per config entry, so both are
// built here from the config entry's fields.
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct, type Field, type StructType } from '../schema'

/** The request of both APIs, generic in what one config entry carries. */
export interface ConfigResourcesRequest<Config> {
  resources: {
    resourceType: number
    resourceName: string
    configs: Config[]
  }[]
  validateOnly: boolean
}

export type AlterConfigsRequest = ConfigResourcesRequest<{ name: string; value: string | null }>

/** The response of both APIs. */
export interface AlterConfigsResponse {
  throttleTimeMs: number
  responses: {
    errorCode: number
    errorMessage: string | null
    resourceType: number
    resourceName: string
  }[]
}

/** resources (with these config entry fields) and validate_only. */
export function configResourcesRequest(...configFields: Field[]): StructType {
  return struct(
    field('resources', arrayOf(struct(
      field('resourceType', 'int8'),
      field('resourceName', 'string'),
      field('configs', arrayOf(struct(...configFields))),
    ))),
    field('validateOnly', 'bool'),
  )
}

export const alterConfigsResponse = struct(
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
  request: configResourcesRequest(field('name', 'string'), field('value', 'string', { nullable: '0+' })),
  response: alterConfigsResponse,
})
