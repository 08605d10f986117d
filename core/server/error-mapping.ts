// Typed errors from the log (and config parsing) to Kafka wire error codes. The log's error codes
// are Kafka's wire names, so the mapping is by name; anything unexpected is UNKNOWN_SERVER_ERROR.
import { GodwitError } from '../../config'
import { ErrorCode } from '../protocol/error-codes'

const byName = ErrorCode as Readonly<Record<string, number>>

export function wireCode(err: unknown): number {
  if (err instanceof GodwitError) {
    if (err.code === 'CONFIG_INVALID') return ErrorCode.INVALID_CONFIG
    const code = byName[err.code]
    if (code !== undefined) return code
  }
  return ErrorCode.UNKNOWN_SERVER_ERROR
}

/** A one-line message for error_message fields (ConfigError messages span lines). */
export function wireMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ')
}
