// Record headers as kafkajs sends them. A header key may repeat (Kafka headers are a list), so
// repeated keys become an array in order; an object keyed by name would keep only the last value.
// kafkajs cannot encode a null header value (its size calculation reads the value's length), so
// such headers are left out.
import type { IHeaders } from 'kafkajs'
import type { Header } from '../api'

export function toKafkaHeaders(headers: readonly Header[] | undefined): IHeaders | undefined {
  if (headers === undefined || headers.length === 0) return undefined
  const out: Record<string, Buffer | Buffer[]> = {}
  for (const { key, value } of headers) {
    if (value === null) continue
    const seen = out[key]
    if (seen === undefined) out[key] = value
    else if (Array.isArray(seen)) seen.push(value)
    else out[key] = [seen, value]
  }
  return out
}
