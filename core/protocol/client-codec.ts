// The client's side of the wire (used by tests and tooling): encode a request frame and decode a
// response frame of a known API and version.
import { isFlexible, supportsVersion } from './api-definition'
import { ApiKey } from './api-keys'
import { decodeStruct, encodeStruct } from './codec'
import { DecodeError, EncodeError, MalformedResponseError } from './errors'
import { RequestHeader, readResponseHeader, requestHeaderVersion, responseHeaderVersion, writeRequestHeader } from './headers'
import { Reader } from './reader'
import { RequestOf, ResponseOf, getApi } from './registry'
import { Writer } from './writer'

/** Encodes a request as a complete frame (int32 size, header, body). Throws EncodeError. */
export function encodeRequest<K extends ApiKey>(header: RequestHeader & { apiKey: K }, body: RequestOf<K>): Buffer {
  const api = getApi(header.apiKey)
  if (api === undefined || !supportsVersion(api, header.apiVersion)) {
    throw new EncodeError(`api key ${header.apiKey} version ${header.apiVersion} is not supported`)
  }
  const w = new Writer()
  writeRequestHeader(w, header, requestHeaderVersion(api, header.apiVersion))
  try {
    encodeStruct(w, api.request, body, header.apiVersion, isFlexible(api, header.apiVersion))
  } catch (e) {
    if (e instanceof EncodeError) e.message = `${api.name} v${header.apiVersion} request: ${e.message}`
    throw e
  }
  return w.toFrame()
}

/** Decodes a response frame (without its 4-byte size) of the given API and version. */
export function decodeResponse<K extends ApiKey>(apiKey: K, apiVersion: number, frame: Buffer): { correlationId: number; body: ResponseOf<K> } {
  const api = getApi(apiKey)
  if (api === undefined || !supportsVersion(api, apiVersion)) {
    throw new MalformedResponseError(`api key ${apiKey} version ${apiVersion} is not supported`)
  }
  const r = new Reader(frame)
  try {
    const correlationId = readResponseHeader(r, responseHeaderVersion(api, apiVersion))
    const body = decodeStruct(r, api.response, apiVersion, isFlexible(api, apiVersion)) as ResponseOf<K>
    if (r.remaining !== 0) throw new DecodeError(`${r.remaining} unexpected trailing bytes`)
    return { correlationId, body }
  } catch (e) {
    if (e instanceof DecodeError) throw new MalformedResponseError(`${api.name} v${apiVersion} response: ${e.describe()}`, { cause: e })
    throw e
  }
}
