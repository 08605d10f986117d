// Typed errors of the wire-protocol codecs. The server turns UnsupportedVersionError into an
// answer (it carries the parsed header); the others mean the connection's bytes are unusable.
import { defineError } from '../../config/errors'

/** Parsed request header, as far as it could be read. */
export interface PartialHeader {
  apiKey: number
  apiVersion: number
  correlationId: number
  clientId: string | null
}

export const UnknownApiError = defineError('UnknownApiError', 'PROTOCOL_UNKNOWN_API',
  'A request named an API key this broker does not implement; the client must not send it (check ApiVersions).')

const UnsupportedVersionBase = defineError('UnsupportedVersionError', 'PROTOCOL_UNSUPPORTED_VERSION',
  'A request used a version of an API outside the range this broker advertises in ApiVersions; upgrade or downgrade the client.')

/** Carries the header so the server can still answer (e.g. ApiVersions with error 35). */
export class UnsupportedVersionError extends UnsupportedVersionBase {
  constructor(readonly header: PartialHeader, readonly minVersion: number, readonly maxVersion: number) {
    super(`api key ${header.apiKey} version ${header.apiVersion} is not supported (supported: ${minVersion}-${maxVersion})`)
  }
}

export const MalformedRequestError = defineError('MalformedRequestError', 'PROTOCOL_MALFORMED_REQUEST',
  'A request frame could not be decoded (truncated, trailing bytes, negative or absurd lengths); the client or network is sending corrupt data.')

export const MalformedResponseError = defineError('MalformedResponseError', 'PROTOCOL_MALFORMED_RESPONSE',
  'A response frame could not be decoded against the schema of the API version that was requested.')

export const InvalidFrameSizeError = defineError('InvalidFrameSizeError', 'PROTOCOL_INVALID_FRAME_SIZE',
  'A frame declared a negative size or one above socket.request.max.bytes; the connection must be closed.')

export const EncodeError = defineError('EncodeError', 'PROTOCOL_ENCODE',
  'A message could not be encoded: a value does not fit its wire type (unsafe int64, null in a non-nullable field, wrong type).')

/** Internal: thrown by Reader; decodeRequest/decodeResponse rethrow it as a typed error with context. */
export class DecodeError extends Error {
  path: string[] = []
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'DecodeError'
  }
  describe(): string {
    return this.path.length === 0 ? this.reason : `${this.path.join('.')}: ${this.reason}`
  }
}
