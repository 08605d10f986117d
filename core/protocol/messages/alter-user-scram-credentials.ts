// AlterUserScramCredentials (api key 51), version 0, flexible. Wire grammar:
// AlterUserScramCredentials Request => [deletions] [upsertions]
//   deletions => name mechanism ; upsertions => name mechanism iterations salt salted_password
// AlterUserScramCredentials Response => throttle_time_ms [results] ; results => user error_code error_message
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface AlterUserScramCredentialsRequest {
  deletions: { name: string; mechanism: number }[]
  upsertions: { name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer }[]
}

export interface AlterUserScramCredentialsResponse {
  throttleTimeMs: number
  results: { user: string; errorCode: number; errorMessage: string | null }[]
}

const request = struct(
  field('deletions', arrayOf(struct(
    field('name', 'string'),
    field('mechanism', 'int8'),
  ))),
  field('upsertions', arrayOf(struct(
    field('name', 'string'),
    field('mechanism', 'int8'),
    field('iterations', 'int32'),
    field('salt', 'bytes'),
    field('saltedPassword', 'bytes'),
  ))),
)

const response = struct(
  field('throttleTimeMs', 'int32'),
  field('results', arrayOf(struct(
    field('user', 'string'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+', default: null }),
  ))),
)

export const AlterUserScramCredentials = defineApi<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse>({
  apiKey: ApiKey.AlterUserScramCredentials, name: 'AlterUserScramCredentials', minVersion: 0, maxVersion: 0, flexibleMinVersion: 0,
  request, response,
})
