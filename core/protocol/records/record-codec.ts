// Records inside a RecordBatch v2, and whole batches: encode from plain objects, decode to
// records with absolute offsets and timestamps. Used by the compaction cleaner (to find keys),
// offset-by-timestamp lookups, tests and benchmarks; the append path never decodes records.
//
// Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
//   key:varbytes value:varbytes headers:[headerKey:varstring headerValue:varbytes]
import {
  ATTR_CONTROL, ATTR_TIMESTAMP_TYPE, ATTR_TRANSACTIONAL, BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF_ATTRIBUTES, OFF_CRC,
  batchSpans, compressionOf, readBatchHeader, writeInt64, type BatchHeader,
} from './batch-header'
import { crc32c } from './crc32c'
import { compress, decompress } from './compression'
import { VarintReader, sizeOfVarint, writeVarint } from './varint'

export interface RecordHeader { key: string; value: Buffer | null }

export interface RecordInput {
  key?: Buffer | string | null
  value: Buffer | string | null
  headers?: RecordHeader[]
  /** Absolute timestamp; defaults to the batch's baseTimestamp. */
  timestamp?: number
  /** Defaults to the record's index in the batch (set it to keep gaps, as compaction does). */
  offsetDelta?: number
}

export interface DecodedRecord {
  offset: number
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
  attributes: number
}

export interface DecodedBatch extends BatchHeader {
  compression: number
  transactional: boolean
  control: boolean
  logAppendTime: boolean
  /** Total bytes of the batch on the wire. */
  size: number
  records: DecodedRecord[]
}

export interface EncodeBatchOptions {
  records: RecordInput[]
  compression?: number
  baseOffset?: number
  partitionLeaderEpoch?: number
  baseTimestamp?: number
  /** Defaults to the largest record timestamp. */
  maxTimestamp?: number
  /** Defaults to the largest record offsetDelta (set it to keep a compacted batch's range). */
  lastOffsetDelta?: number
  producerId?: number
  producerEpoch?: number
  baseSequence?: number
  transactional?: boolean
  control?: boolean
  logAppendTime?: boolean
}

const toBuf = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? Buffer.from(v) : v

const sizeOfBytes = (b: Buffer | null): number => (b === null ? 1 : sizeOfVarint(b.length) + b.length)

function encodeRecord(r: { tsDelta: number; offsetDelta: number; key: Buffer | null; value: Buffer | null; headers: { k: Buffer; v: Buffer | null }[] }): Buffer {
  let body = 1 + sizeOfVarint(r.tsDelta) + sizeOfVarint(r.offsetDelta) + sizeOfBytes(r.key) + sizeOfBytes(r.value) + sizeOfVarint(r.headers.length)
  for (const h of r.headers) body += sizeOfBytes(h.k) + sizeOfBytes(h.v)
  const out = Buffer.allocUnsafe(sizeOfVarint(body) + body)
  let p = writeVarint(out, 0, body)
  out[p++] = 0
  p = writeVarint(out, p, r.tsDelta)
  p = writeVarint(out, p, r.offsetDelta)
  for (const b of [r.key, r.value]) p = writeBytes(out, p, b)
  p = writeVarint(out, p, r.headers.length)
  for (const h of r.headers) { p = writeBytes(out, p, h.k); p = writeBytes(out, p, h.v) }
  return out
}

function writeBytes(out: Buffer, p: number, b: Buffer | null): number {
  if (b === null) return writeVarint(out, p, -1)
  p = writeVarint(out, p, b.length)
  b.copy(out, p)
  return p + b.length
}

/** Encodes one RecordBatch v2 (CRC included). */
export function encodeBatch(opts: EncodeBatchOptions): Buffer {
  const recs = opts.records
  const stamps = recs.map((r) => r.timestamp)
  const known = stamps.filter((t): t is number => t !== undefined)
  const baseTimestamp = opts.baseTimestamp ?? (known.length > 0 ? Math.min(...known) : Date.now())
  const deltas = recs.map((r, i) => r.offsetDelta ?? i)
  const encoded = recs.map((r, i) => encodeRecord({
    tsDelta: (r.timestamp ?? baseTimestamp) - baseTimestamp,
    offsetDelta: deltas[i],
    key: toBuf(r.key),
    value: toBuf(r.value),
    headers: (r.headers ?? []).map((h) => ({ k: Buffer.from(h.key), v: h.value })),
  }))
  const compression = opts.compression ?? 0
  const plain = Buffer.concat(encoded)
  const payload = compression === 0 ? plain : compress(compression, plain)
  const buf = Buffer.alloc(BATCH_HEADER_SIZE + payload.length)
  const maxTimestamp = opts.maxTimestamp ?? recs.reduce((m, r) => Math.max(m, r.timestamp ?? baseTimestamp), baseTimestamp)
  const attributes = compression | (opts.logAppendTime === true ? ATTR_TIMESTAMP_TYPE : 0) |
    (opts.transactional === true ? ATTR_TRANSACTIONAL : 0) | (opts.control === true ? ATTR_CONTROL : 0)
  writeInt64(buf, 0, opts.baseOffset ?? 0)
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, 8)
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? -1, 12)
  buf.writeInt8(2, 16)
  buf.writeInt16BE(attributes, OFF_ATTRIBUTES)
  buf.writeInt32BE(opts.lastOffsetDelta ?? (deltas.length === 0 ? 0 : Math.max(...deltas)), 23)
  writeInt64(buf, 27, baseTimestamp)
  writeInt64(buf, 35, maxTimestamp)
  writeInt64(buf, 43, opts.producerId ?? -1)
  buf.writeInt16BE(opts.producerEpoch ?? -1, 51)
  buf.writeInt32BE(opts.baseSequence ?? -1, 53)
  buf.writeInt32BE(recs.length, 57)
  payload.copy(buf, BATCH_HEADER_SIZE)
  buf.writeUInt32BE(crc32c(buf, OFF_ATTRIBUTES), OFF_CRC)
  return buf
}

/** Decodes the batch at pos (decompressing its records). Does not check the CRC. */
export function decodeBatch(buf: Buffer, pos = 0): DecodedBatch {
  const h = readBatchHeader(buf, pos)
  const size = LOG_OVERHEAD + h.batchLength
  const compression = compressionOf(h.attributes)
  const logAppendTime = (h.attributes & ATTR_TIMESTAMP_TYPE) !== 0
  const raw = buf.subarray(pos + BATCH_HEADER_SIZE, pos + size)
  const body = compression === 0 ? raw : decompress(compression, raw)
  const reader = new VarintReader(body, 0)
  const records: DecodedRecord[] = []
  for (let i = 0; i < h.recordCount; i++) {
    const len = reader.varint()
    const end = reader.pos + len
    if (len < 0 || end > body.length) throw new RangeError(`record ${i} of the batch at offset ${h.baseOffset} runs past the batch`)
    const r = new VarintReader(body, reader.pos, end)
    const attributes = r.int8()
    const tsDelta = r.varint()
    const offsetDelta = r.varint()
    const key = r.bytes()
    const value = r.bytes()
    const count = r.varint()
    const headers: RecordHeader[] = []
    for (let j = 0; j < count; j++) {
      const k = r.bytes()
      headers.push({ key: k === null ? '' : k.toString('utf8'), value: r.bytes() })
    }
    records.push({
      offset: h.baseOffset + offsetDelta,
      timestamp: logAppendTime ? h.maxTimestamp : h.baseTimestamp + tsDelta,
      key, value, headers, attributes,
    })
    reader.pos = end
  }
  return {
    ...h, compression, logAppendTime, size, records,
    transactional: (h.attributes & ATTR_TRANSACTIONAL) !== 0,
    control: (h.attributes & ATTR_CONTROL) !== 0,
  }
}

/** Decodes every whole batch in buf (a fetch response's records, a segment slice). */
export function decodeBatches(buf: Buffer): DecodedBatch[] {
  return batchSpans(buf).map((s) => decodeBatch(buf, s.position))
}
