// ApiVersions (api key 18), versions 0-3, flexible from v3. Wire grammar:
// ApiVersions Request => client_software_name(v3+) client_software_version(v3+)
// ApiVersions Response => error_code [api_keys] throttle_time_ms(v1+) [supported_features](v3+)<tag 0> finalized_features_epoch(v3+)<tag 1> [finalized_features](v3+)<tag 2> zk_migration_ready(v3+)<tag 3>
//   api_keys => api_key min_version max_version
//   supported_features => name min_version max_version
//   finalized_features => name max_version_level min_version_level
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface ApiVersionsRequest {
  clientSoftwareName: string
  clientSoftwareVersion: string
}

export interface ApiVersionsResponse {
  errorCode: number
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[]
  throttleTimeMs?: number
  supportedFeatures?: { name: string; minVersion: number; maxVersion: number }[]
  finalizedFeaturesEpoch?: number
  finalizedFeatures?: { name: string; maxVersionLevel: number; minVersionLevel: number }[]
  zkMigrationReady?: boolean
}

const request = struct(
  field('clientSoftwareName', 'string', { v: '3+' }),
  field('clientSoftwareVersion', 'string', { v: '3+' }),
)

const response = struct(
  field('errorCode', 'int16'),
  field('apiKeys', arrayOf(struct(
    field('apiKey', 'int16'),
    field('minVersion', 'int16'),
    field('maxVersion', 'int16'),
  ))),
  field('throttleTimeMs', 'int32', { v: '1+' }),
  field('supportedFeatures', arrayOf(struct(
    field('name', 'string'),
    field('minVersion', 'int16'),
    field('maxVersion', 'int16'),
  )), { v: '3+', tag: 0 }),
  field('finalizedFeaturesEpoch', 'int64', { v: '3+', tag: 1, default: -1 }),
  field('finalizedFeatures', arrayOf(struct(
    field('name', 'string'),
    field('maxVersionLevel', 'int16'),
    field('minVersionLevel', 'int16'),
  )), { v: '3+', tag: 2 }),
  field('zkMigrationReady', 'bool', { v: '3+', tag: 3 }),
)

export const ApiVersions = defineApi<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: ApiKey.ApiVersions, name: 'ApiVersions', minVersion: 0, maxVersion: 3, flexibleMinVersion: 3,
  request, response,
})
