// Splits one poll's records into produce requests that stay under the producer's
// max.request.size, as Kafka's producer bounds each request (and so each partition's batch, which
// the broker checks against message.max.bytes). Chunks are consecutive slices of the poll, so
// sending them one after another keeps every partition's records in the order the task gave them.
import type { SourceRecord } from '../api'

export interface SendChunk {
  records: SourceRecord[]
  partitions: number[]
}

/** Record batch v2 header (61 bytes) plus the topic/partition framing of a produce request. */
const BATCH_OVERHEAD = 96
/** Worst-case varints of one record: length, attributes, timestamp and offset deltas, key/value lengths, header count. */
const RECORD_OVERHEAD = 36

/** An upper bound on a record's size inside a batch (uncompressed). */
export function estimateRecordSize(r: SourceRecord): number {
  let n = RECORD_OVERHEAD + byteLength(r.key) + byteLength(r.value)
  if (r.headers !== undefined && r.headers !== null) {
    for (const h of r.headers) n += 10 + Buffer.byteLength(h.key) + byteLength(h.value)
  }
  return n
}

function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length
}

/**
 * Consecutive slices of `records` whose estimated request size stays within 90% of
 * `maxRequestSize` (room for the request header and the estimate's slack). A record larger than
 * that goes alone, so the broker rejects just that record with its own clear error.
 */
export function splitIntoRequests(records: SourceRecord[], partitions: number[], maxRequestSize: number): SendChunk[] {
  const budget = Math.floor(maxRequestSize * 0.9)
  const chunks: SendChunk[] = []
  let current: SendChunk = { records: [], partitions: [] }
  let size = 0
  let seen = new Set<string>()
  for (let i = 0; i < records.length; i++) {
    const r = records[i]
    const key = `${r.topic}\u0000${partitions[i]}`
    const extra = estimateRecordSize(r) + (seen.has(key) ? 0 : BATCH_OVERHEAD + Buffer.byteLength(r.topic))
    if (current.records.length > 0 && size + extra > budget) {
      chunks.push(current)
      current = { records: [], partitions: [] }
      seen = new Set()
      size = 0
      i--
      continue
    }
    current.records.push(r)
    current.partitions.push(partitions[i])
    seen.add(key)
    size += extra
  }
  if (current.records.length > 0) chunks.push(current)
  return chunks
}
