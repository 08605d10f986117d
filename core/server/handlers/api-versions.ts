// ApiVersions: generated from the protocol registry, limited to the APIs a handler serves.
import type { ApiVersionsRequest, ApiVersionsResponse } from '../../protocol/messages/api-versions'
import { API_DEFINITIONS } from '../../protocol/registry'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

// librdkafka up to 2.11.0 checks "is Produce supported somewhere in [0, 0]?" before using gzip,
// snappy or lz4 and silently sends uncompressed batches when the broker's lowest Produce version
// is above 0. So, like Kafka before 4.0, Produce is served from v0 (see handlers/produce.ts for
// what v0-v2 can store), and the advertised ranges are exactly the codecs' ranges.

export async function handleApiVersions(_req: ApiVersionsRequest, _ctx: RequestContext, served: ReadonlySet<number>): Promise<ApiVersionsResponse> {
  const apiKeys = API_DEFINITIONS
    .filter((d) => served.has(d.apiKey))
    .map((d) => ({ apiKey: d.apiKey as number, minVersion: d.minVersion, maxVersion: d.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey)
  return { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 }
}
