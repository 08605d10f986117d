// ApiVersions: generated from the protocol registry, limited to the APIs a handler serves.
import type { ApiVersionsRequest, ApiVersionsResponse } from '../../protocol/messages/api-versions'
import { ApiKey } from '../../protocol/api-keys'
import { API_DEFINITIONS } from '../../protocol/registry'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

/**
 * librdkafka up to 2.11.0 checks "is Produce supported somewhere in [0, 0]?" before using gzip,
 * snappy or lz4, and silently sends uncompressed batches when the broker's lowest Produce version
 * is above 0. Real brokers (before Kafka 4.0) advertise Produce from v0, so we advertise 0 as the
 * floor too. Clients pick the highest common version (v3+ since 0.11), so v0-v2 are never sent
 * by anything that writes RecordBatch v2; one that did would be disconnected as unsupported.
 */
const ADVERTISED_MIN: Partial<Record<number, number>> = { [ApiKey.Produce]: 0 }

export async function handleApiVersions(_req: ApiVersionsRequest, _ctx: RequestContext, served: ReadonlySet<number>): Promise<ApiVersionsResponse> {
  const apiKeys = API_DEFINITIONS
    .filter((d) => served.has(d.apiKey))
    .map((d) => ({ apiKey: d.apiKey as number, minVersion: ADVERTISED_MIN[d.apiKey] ?? d.minVersion, maxVersion: d.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey)
  return { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 }
}
