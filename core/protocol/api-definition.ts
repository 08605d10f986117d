// What each core/protocol/messages/<api>.ts declares: the API's key, the versions we serve, where
// its flexible (compact + tagged) versions start, and the request and response schemas.
import { ApiKey } from './api-keys'
import { StructType } from './schema'

export interface ApiDefinition<Req = unknown, Res = unknown> {
  readonly apiKey: ApiKey
  readonly name: string
  readonly minVersion: number
  readonly maxVersion: number
  /** First flexible version in Kafka's definition (may lie above maxVersion); null if never. */
  readonly flexibleMinVersion: number | null
  readonly request: StructType
  readonly response: StructType
  /** Type-only marker carrying the TS request/response types; never set at run time. */
  readonly types?: { request: Req; response: Res }
}

export function defineApi<Req, Res>(def: Omit<ApiDefinition<Req, Res>, 'types'>): ApiDefinition<Req, Res> {
  return Object.freeze(def)
}

export function isFlexible(api: ApiDefinition<unknown, unknown>, version: number): boolean {
  return api.flexibleMinVersion !== null && version >= api.flexibleMinVersion
}

export function supportsVersion(api: ApiDefinition<unknown, unknown>, version: number): boolean {
  return version >= api.minVersion && version <= api.maxVersion
}
