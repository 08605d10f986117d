// DescribeUserScramCredentials (api key 50), version 0, flexible. Wire grammar:
// DescribeUserScramCredentials Request => [users](nullable) ; users => name
// DescribeUserScramCredentials Response => throttle_time_ms error_code error_message [results]
//   results => user error_code error_message [credential_infos] ; credential_infos => mechanism iterations
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface DescribeUserScramCredentialsRequest {
  users: { name: string }[] | null
}

export interface DescribeUserScramCredentialsResponse {
  throttleTimeMs: number
  errorCode: number
  errorMessage: string | null
  results: {
    user: string
    errorCode: number
    errorMessage: string | null
    credentialInfos: { mechanism: number; iterations: number }[]
  }[]
}

const request = struct(
  field('users', arrayOf(struct(field('name', 'string'))), { nullable: '0+' }),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('errorCode', 'int16'),
  field('errorMessage', 'string', { nullable: '0+', default: null }),
  field('results', arrayOf(struct(
    field('user', 'string'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+', default: null }),
    field('credentialInfos', arrayOf(struct(
      field('mechanism', 'int8'),
      field('iterations', 'int32'),
    ))),
  ))),
)

export const DescribeUserScramCredentials = defineApi<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse>({
  apiKey: ApiKey.DescribeUserScramCredentials, name: 'DescribeUserScramCredentials', minVersion: 0, maxVersion: 0, flexibleMinVersion: 0,
  request, response,
})
