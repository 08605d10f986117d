// The records of a v2 record batch (magic 2), decoded and encoded here so headers keep their exact
// order, repeats and null values (kafkajs folds them into an object). Kafka's record grammar:
//
// Record => length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
//   key (varint length, -1 = null), value (varint length, -1 = null),
//   headers count varint, [headerKey (varint length + UTF-8), headerValue (varint length, -1 = null)]
//
// Varints are zig-zag encoded (protobuf's). Compressed batches hold recordCount int32 at @57 and
// then the records compressed as one payload with the batch's codec; codecs are kafkajs's
// registry (gzip its own; snappy, lz4 frame and zstd registered by connectors/kafka/codecs.ts).
import { crc32c } from '@node-rs/crc32'
import { registerKafkajsCodecs } from '../../connectors/kafka/codecs'
import { BATCH_OVERHEAD, readBatchHeader } from './batch-rewrite'

/* eslint-disable @typescript-eslint/no-require-imports */
const { lookupCodec } = require('kafkajs/src/protocol/message/compression') as {
  lookupCodec(type: number): { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> } | null
}

export type RecordHeader = [key: string, value: Buffer | null]

export interface WireRecord {
  /** Absolute offset and timestamp (ms); LogAppendTime batches give every record their maxTimestamp. */
  offset: number
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  /** In wire order, repeats kept. */
  headers: RecordHeader[]
}

export interface DecodedBatch {
  codec: number
  control: boolean
  records: WireRecord[]
}

const CODEC_MASK = 0x07

function codecOf(id: number): NonNullable<ReturnType<typeof lookupCodec>> {
  registerKafkajsCodecs()
  const c = lookupCodec(id)
  if (c === null) throw new RangeError(`unknown compression codec id ${id} in a record batch`)
  return c
}

/** Reads zig-zag varints from a buffer (32-bit ones with bit operations, varlongs as numbers). */
class Reader {
  constructor(private readonly buf: Buffer, public pos: number) {}

  varint(): number {
    let raw = 0
    let shift = 0
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('record truncated inside a varint')
      const b = this.buf[this.pos++]
      raw |= (b & 0x7f) << shift
      if ((b & 0x80) === 0) break
      shift += 7
      if (shift > 28) throw new RangeError('varint longer than 5 bytes')
    }
    return (raw >>> 1) ^ -(raw & 1)
  }

  varlong(): number {
    let raw = 0n
    let shift = 0n
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('record truncated inside a varlong')
      const b = this.buf[this.pos++]
      raw |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) break
      shift += 7n
      if (shift > 63n) throw new RangeError('varlong longer than 10 bytes')
    }
    return Number((raw >> 1n) ^ -(raw & 1n))
  }

  bytes(): Buffer | null {
    const n = this.varint()
    if (n < 0) return null
    if (this.pos + n > this.buf.length) throw new RangeError('record truncated inside a key, value or header')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
}

/** Decodes every record of one complete v2 batch (any codec; control batches decode too). */
export async function decodeBatchRecords(batch: Buffer): Promise<DecodedBatch> {
  const h = readBatchHeader(batch)
  if (h.magic !== 2) throw new RangeError(`not a v2 record batch (magic ${h.magic})`)
  let body = batch.subarray(BATCH_OVERHEAD, 12 + h.batchLength)
  if (h.codec !== 0) body = await codecOf(h.codec).decompress(body)
  const r = new Reader(body, 0)
  const records: WireRecord[] = new Array(h.recordCount)
  for (let i = 0; i < h.recordCount; i++) {
    const length = r.varint()
    const end = r.pos + length
    r.pos++ // record attributes: unused by Kafka
    const timestampDelta = r.varlong()
    const offsetDelta = r.varint()
    const key = r.bytes()
    const value = r.bytes()
    const count = r.varint()
    const headers: RecordHeader[] = new Array(Math.max(count, 0))
    for (let j = 0; j < count; j++) {
      const k = r.bytes()
      headers[j] = [k === null ? '' : k.toString('utf8'), r.bytes()]
    }
    if (r.pos !== end) throw new RangeError(`record ${i} of the batch at offset ${h.baseOffset} is ${length} bytes long but its fields end at ${r.pos - end + length}`)
    records[i] = {
      offset: h.baseOffset + offsetDelta,
      timestamp: h.logAppendTime ? h.maxTimestamp : h.firstTimestamp + timestampDelta,
      key, value, headers,
    }
  }
  return { codec: h.codec, control: h.control, records }
}

function zigzag32(n: number): number { return ((n << 1) ^ (n >> 31)) >>> 0 }

function varintSize(n: number): number {
  let v = zigzag32(n)
  let size = 1
  while (v >= 0x80) { v >>>= 7; size++ }
  return size
}

function varlongSize(n: number): number {
  let v = BigInt(n)
  v = v >= 0n ? v << 1n : (-v << 1n) - 1n
  let size = 1
  while (v >= 0x80n) { v >>= 7n; size++ }
  return size
}

/** Writes into a buffer sized beforehand. */
class Writer {
  pos = 0
  constructor(readonly buf: Buffer) {}

  varint(n: number): void {
    let v = zigzag32(n)
    while (v >= 0x80) { this.buf[this.pos++] = (v & 0x7f) | 0x80; v >>>= 7 }
    this.buf[this.pos++] = v
  }

  varlong(n: number): void {
    let v = BigInt(n)
    v = v >= 0n ? v << 1n : (-v << 1n) - 1n
    while (v >= 0x80n) { this.buf[this.pos++] = Number(v & 0x7fn) | 0x80; v >>= 7n }
    this.buf[this.pos++] = Number(v)
  }

  bytes(b: Buffer | null): void {
    if (b === null) { this.varint(-1); return }
    this.varint(b.length)
    b.copy(this.buf, this.pos)
    this.pos += b.length
  }
}

function bytesSize(b: Buffer | null): number { return b === null ? 1 : varintSize(b.length) + b.length }

/** Encodes records as they lie in an uncompressed batch body (each with its length prefix). */
export function encodeRecords(records: readonly WireRecord[], firstTimestamp: number): Buffer {
  const keys = records.map((r) => r.headers.map(([k]) => Buffer.from(k, 'utf8')))
  const sizes = records.map((r, i) => {
    let n = 1 + varlongSize(r.timestamp - firstTimestamp) + varintSize(i) + bytesSize(r.key) + bytesSize(r.value) + varintSize(r.headers.length)
    for (let j = 0; j < r.headers.length; j++) n += bytesSize(keys[i][j]) + bytesSize(r.headers[j][1])
    return n
  })
  const w = new Writer(Buffer.allocUnsafe(sizes.reduce((a, n) => a + varintSize(n) + n, 0)))
  records.forEach((r, i) => {
    w.varint(sizes[i])
    w.buf[w.pos++] = 0
    w.varlong(r.timestamp - firstTimestamp)
    w.varint(i)
    w.bytes(r.key)
    w.bytes(r.value)
    w.varint(r.headers.length)
    for (let j = 0; j < r.headers.length; j++) { w.bytes(keys[i][j]); w.bytes(r.headers[j][1]) }
  })
  return w.buf
}

/**
 * One complete v2 batch of `records` (at least one) with contiguous offset deltas 0..n-1, CreateTime,
 * base offset 0, no producer (id -1, epoch -1, sequence -1: the sender stamps its own), CRC-32C set.
 */
export async function encodeBatch(codec: number, records: readonly WireRecord[]): Promise<Buffer> {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record')
  const first = records[0].timestamp
  let max = first
  for (const r of records) if (r.timestamp > max) max = r.timestamp
  let body = encodeRecords(records, first)
  if ((codec & CODEC_MASK) !== 0) body = await codecOf(codec & CODEC_MASK).compress({ buffer: body })
  const out = Buffer.allocUnsafe(BATCH_OVERHEAD + body.length)
  out.writeBigInt64BE(0n, 0)
  out.writeInt32BE(out.length - 12, 8)
  out.writeInt32BE(-1, 12) // partition leader epoch
  out.writeInt8(2, 16)
  out.writeInt16BE(codec & CODEC_MASK, 21)
  out.writeInt32BE(records.length - 1, 23)
  out.writeBigInt64BE(BigInt(first), 27)
  out.writeBigInt64BE(BigInt(max), 35)
  out.writeBigInt64BE(-1n, 43)
  out.writeInt16BE(-1, 51)
  out.writeInt32BE(-1, 53)
  out.writeInt32BE(records.length, 57)
  body.copy(out, BATCH_OVERHEAD)
  out.writeUInt32BE(crc32c(out.subarray(21)), 17)
  return out
}
