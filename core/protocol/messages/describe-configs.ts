// DescribeConfigs (api key 32), versions 0-2, no flexible versions in this range. Wire grammar:
// DescribeConfigs Request => [resources] include_synonyms(v1+)
//   resources => resource_type resource_name [configuration_keys]
// DescribeConfigs Response => throttle_time_ms [results]
//   results => error_code error_message resource_type resource_name [configs]
//     configs => name value read_only is_default(v0) config_source(v1+) is_sensitive [synonyms](v1+)
//       synonyms => name value source
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface DescribeConfigsRequest {
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[]
  includeSynonyms: boolean
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number
  results: {
    errorCode: number
    errorMessage: string | null
    resourceType: number
    resourceName: string
    configs: {
      name: string
      value: string | null
      readOnly: boolean
      isDefault?: boolean
      configSource?: number
      isSensitive: boolean
      synonyms?: { name: string; value: string | null; source: number }[]
    }[]
  }[]
}

const request = struct(
  field('resources', arrayOf(struct(
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configurationKeys', arrayOf('string'), { nullable: '0+' }),
  ))),
  field('includeSynonyms', 'bool', { v: '1+' }),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('results', arrayOf(struct(
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configs', arrayOf(struct(
      field('name', 'string'),
      field('value', 'string', { nullable: '0+' }),
      field('readOnly', 'bool'),
      field('isDefault', 'bool', { v: '0' }),
      field('configSource', 'int8', { v: '1+', default: -1 }),
      field('isSensitive', 'bool'),
      field('synonyms', arrayOf(struct(
        field('name', 'string'),
        field('value', 'string', { nullable: '0+' }),
        field('source', 'int8'),
      )), { v: '1+' }),
    ))),
  ))),
)

export const DescribeConfigs = defineApi<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: ApiKey.DescribeConfigs, name: 'DescribeConfigs', minVersion: 0, maxVersion: 2, flexibleMinVersion: 4,
  request, response,
})
