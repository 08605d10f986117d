// ApiVersions: generated from the protocol registry, limited to the APIs a handler serves.
import type { ApiVersionsRequest, ApiVersionsResponse } from '../../protocol/messages/api-versions'
import { API_DEFINITIONS } from '../../protocol/registry'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleApiVersions(_req: ApiVersionsRequest, _ctx: RequestContext, served: ReadonlySet<number>): Promise<ApiVersionsResponse> {
  const apiKeys = API_DEFINITIONS
    .filter((d) => served.has(d.apiKey))
    .map((d) => ({ apiKey: d.apiKey as number, minVersion: d.minVersion, maxVersion: d.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey)
  return { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 }
}
