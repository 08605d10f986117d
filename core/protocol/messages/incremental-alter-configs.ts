// IncrementalAlterConfigs (api key 44), versions 0-1, flexible from v1. Wire grammar:
// IncrementalAlterConfigs Request => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     configs => name config_operation value
// IncrementalAlterConfigs Response => throttle_time_ms [responses]
//   responses => error_code error_message resource_type resource_name
// The layout is AlterConfigs' plus config_operation (SET 0, DELETE 1, APPEND 2, SUBTRACT 3).
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { field } from '../schema'
import { alterConfigsResponse, configResourcesRequest, type AlterConfigsResponse, type ConfigResourcesRequest } from './alter-configs'

export type IncrementalAlterConfigsRequest = ConfigResourcesRequest<{ name: string; configOperation: number; value: string | null }>

export type IncrementalAlterConfigsResponse = AlterConfigsResponse

export const IncrementalAlterConfigs = defineApi<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: ApiKey.IncrementalAlterConfigs, name: 'IncrementalAlterConfigs', minVersion: 0, maxVersion: 1, flexibleMinVersion: 1,
  request: configResourcesRequest(field('name', 'string'), field('configOperation', 'int8'), field('value', 'string', { nullable: '0+' })),
  response: alterConfigsResponse,
})
