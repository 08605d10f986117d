// SaslAuthenticate (api key 36), versions 0-2, flexible from v2. Wire grammar:
// SaslAuthenticate Request => auth_bytes
// SaslAuthenticate Response => error_code error_message auth_bytes session_lifetime_ms(v1+)
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { field, struct } from '../schema'

export interface SaslAuthenticateRequest {
  authBytes: Buffer
}

export interface SaslAuthenticateResponse {
  errorCode: number
  errorMessage: string | null
  authBytes: Buffer
  sessionLifetimeMs?: number
}

const request = struct(
  field('authBytes', 'bytes'),
)

const response = struct(
  field('errorCode', 'int16'),
  field('errorMessage', 'string', { nullable: '0+', default: null }),
  field('authBytes', 'bytes'),
  field('sessionLifetimeMs', 'int64', { v: '1+', default: 0 }),
)

export const SaslAuthenticate = defineApi<SaslAuthenticateRequest, SaslAuthenticateResponse>({
  apiKey: ApiKey.SaslAuthenticate, name: 'SaslAuthenticate', minVersion: 0, maxVersion: 2, flexibleMinVersion: 2,
  request, response,
})
