// SaslHandshake (api key 17), versions 0-1, never flexible. Wire grammar:
// SaslHandshake Request => mechanism
// SaslHandshake Response => error_code [mechanisms]
// v1 means the tokens that follow travel in SaslAuthenticate requests; after v0 they would be
// raw size-prefixed frames, which Godwit does not speak (see handlers/sasl-handshake.ts).
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface SaslHandshakeRequest {
  mechanism: string
}

export interface SaslHandshakeResponse {
  errorCode: number
  mechanisms: string[]
}

const request = struct(
  field('mechanism', 'string'),
)

const response = struct(
  field('errorCode', 'int16'),
  field('mechanisms', arrayOf('string')),
)

export const SaslHandshake = defineApi<SaslHandshakeRequest, SaslHandshakeResponse>({
  apiKey: ApiKey.SaslHandshake, name: 'SaslHandshake', minVersion: 0, maxVersion: 1, flexibleMinVersion: null,
  request, response,
})
