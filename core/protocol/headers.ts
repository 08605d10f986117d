// Request and response headers. Requests use header v1 (api key, version, correlation id,
// nullable client id) or v2 in flexible versions (v1 + tagged fields; the client id stays a
// classic int16-length string). Responses use v0 (correlation id) or v1 in flexible versions
// (+ tagged fields), except ApiVersions, whose response header is always v0 so that a client
// can parse it before it knows which versions the broker speaks.
import { ApiDefinition, isFlexible } from './api-definition'
import { ApiKey } from './api-keys'
import { DecodeError } from './errors'
import { Reader } from './reader'
import { Writer } from './writer'

export interface RequestHeader {
  apiKey: ApiKey
  apiVersion: number
  correlationId: number
  clientId: string | null
}

export function requestHeaderVersion(api: ApiDefinition<unknown, unknown>, version: number): 1 | 2 {
  return isFlexible(api, version) ? 2 : 1
}

export function responseHeaderVersion(api: ApiDefinition<unknown, unknown>, version: number): 0 | 1 {
  if (api.apiKey === ApiKey.ApiVersions) return 0
  return isFlexible(api, version) ? 1 : 0
}

/** Reads the fixed part of a request header (common to v1 and v2). */
export function readRequestHeaderV1(r: Reader): RequestHeader {
  const apiKey = r.int16()
  const apiVersion = r.int16()
  const correlationId = r.int32()
  const len = r.int16()
  if (len < -1) throw new DecodeError(`negative client id length ${len}`)
  const clientId = len === -1 ? null : r.utf8(len)
  return { apiKey, apiVersion, correlationId, clientId }
}

/** Skips a tagged-field section (headers define no tags we use). */
export function skipTaggedFields(r: Reader): void {
  const count = r.count(r.uvarint(), 'tagged field')
  for (let i = 0; i < count; i++) {
    r.uvarint()
    r.skip(r.uvarint())
  }
}

export function writeRequestHeader(w: Writer, h: RequestHeader, headerVersion: 1 | 2): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId)
  if (h.clientId === null) w.int16(-1)
  else {
    const len = Buffer.byteLength(h.clientId)
    w.int16(len).utf8(h.clientId, len)
  }
  if (headerVersion === 2) w.uvarint(0)
}

export function writeResponseHeader(w: Writer, correlationId: number, headerVersion: 0 | 1): void {
  w.int32(correlationId)
  if (headerVersion === 1) w.uvarint(0)
}

export function readResponseHeader(r: Reader, headerVersion: 0 | 1): number {
  const correlationId = r.int32()
  if (headerVersion === 1) skipTaggedFields(r)
  return correlationId
}
