// The broker's side of the wire: decode a request frame into its header and typed body, and
// encode a response body into a size-prefixed frame with the right header version.
import { isFlexible, supportsVersion } from './api-definition'
import { ApiKey } from './api-keys'
import { decodeStruct, encodeStruct } from './codec'
import { ErrorCode } from './error-codes'
import { DecodeError, EncodeError, MalformedRequestError, UnknownApiError, UnsupportedVersionError } from './errors'
import { RequestHeader, readRequestHeaderV1, requestHeaderVersion, responseHeaderVersion, skipTaggedFields, writeResponseHeader } from './headers'
import { Reader } from './reader'
import { RequestOf, ResponseOf, getApi, supportedApiVersions } from './registry'
import { Writer } from './writer'

export type { RequestHeader } from './headers'

/** A decoded request of one API; the union over all APIs is AnyDecodedRequest. */
export interface DecodedRequest<K extends ApiKey = ApiKey> {
  header: RequestHeader & { apiKey: K }
  body: RequestOf<K>
}

export type AnyDecodedRequest = { [K in ApiKey]: DecodedRequest<K> }[ApiKey]

/** Narrows a decoded request to one API: `if (isRequest(req, ApiKey.Produce)) req.body.acks`. */
export function isRequest<K extends ApiKey>(req: AnyDecodedRequest, apiKey: K): req is DecodedRequest<K> & AnyDecodedRequest {
  return req.header.apiKey === apiKey
}

/**
 * Decodes one request frame (without its 4-byte size). Throws UnknownApiError,
 * UnsupportedVersionError (with the header, so the caller can answer) or MalformedRequestError.
 */
export function decodeRequest(frame: Buffer): AnyDecodedRequest {
  const r = new Reader(frame)
  let header: RequestHeader
  try {
    header = readRequestHeaderV1(r)
  } catch (e) {
    if (e instanceof DecodeError) throw new MalformedRequestError(`request header: ${e.describe()}`, { cause: e })
    throw e
  }
  const api = getApi(header.apiKey)
  if (api === undefined) {
    throw new UnknownApiError(`api key ${header.apiKey} is not supported (correlation id ${header.correlationId}, client ${header.clientId})`)
  }
  if (!supportsVersion(api, header.apiVersion)) throw new UnsupportedVersionError(header, api.minVersion, api.maxVersion)
  const flexible = isFlexible(api, header.apiVersion)
  try {
    if (requestHeaderVersion(api, header.apiVersion) === 2) skipTaggedFields(r)
    const body = decodeStruct(r, api.request, header.apiVersion, flexible)
    if (r.remaining !== 0) throw new DecodeError(`${r.remaining} unexpected trailing bytes`)
    return { header, body } as AnyDecodedRequest
  } catch (e) {
    if (e instanceof DecodeError) {
      const where = `${api.name} v${header.apiVersion} request (correlation id ${header.correlationId})`
      throw new MalformedRequestError(`${where}: ${e.describe()}`, { cause: e })
    }
    throw e
  }
}

/** What encodeResponse needs from the request: which API, which version, which correlation id. */
export interface ResponseHeaderInput<K extends ApiKey = ApiKey> {
  apiKey: K
  apiVersion: number
  correlationId: number
}

/** Encodes a response as a complete frame (int32 size, header, body). Throws EncodeError. */
export function encodeResponse<K extends ApiKey>(header: ResponseHeaderInput<K>, body: ResponseOf<K>): Buffer {
  return encodeResponseWriter(header, body).toFrame()
}

/** The same response as a size prefix followed by chunks (records by reference), for writev. */
export function encodeResponseChunks<K extends ApiKey>(header: ResponseHeaderInput<K>, body: ResponseOf<K>): Buffer[] {
  const w = encodeResponseWriter(header, body)
  const size = Buffer.allocUnsafe(4)
  size.writeInt32BE(w.length, 0)
  return [size, ...w.toChunks()]
}

function encodeResponseWriter(header: ResponseHeaderInput, body: unknown): Writer {
  const api = getApi(header.apiKey)
  if (api === undefined) throw new EncodeError(`api key ${header.apiKey} is not supported`)
  if (!supportsVersion(api, header.apiVersion)) {
    throw new EncodeError(`${api.name} version ${header.apiVersion} is not supported (${api.minVersion}-${api.maxVersion})`)
  }
  const w = new Writer()
  writeResponseHeader(w, header.correlationId, responseHeaderVersion(api, header.apiVersion))
  try {
    encodeStruct(w, api.response, body, header.apiVersion, isFlexible(api, header.apiVersion))
  } catch (e) {
    if (e instanceof EncodeError) e.message = `${api.name} v${header.apiVersion} response: ${e.message}`
    throw e
  }
  return w
}

/**
 * Kafka's answer to an ApiVersions request at a version it does not know: a v0-format
 * ApiVersions response with UNSUPPORTED_VERSION and the supported ranges, so the client can retry
 * with a version both sides speak. Pass apiKeys when the server advertises a narrower or
 * adjusted list than the registry (by default: every API the codecs support).
 */
export function unsupportedVersionResponse(
  header: { correlationId: number } | number,
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[] = supportedApiVersions(),
): Buffer {
  const correlationId = typeof header === 'number' ? header : header.correlationId
  return encodeResponse(
    { apiKey: ApiKey.ApiVersions, apiVersion: 0, correlationId },
    { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys },
  )
}
