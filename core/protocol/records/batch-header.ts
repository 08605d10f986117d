// RecordBatch v2 header: the 61 bytes in front of every batch. Everything the log needs
// (offsets, timestamps, producer fields, CRC) is read and rewritten here without touching the
// records themselves, so stored batches stay byte-for-byte what the producer sent.
//
// RecordBatch => baseOffset:int64 batchLength:int32 partitionLeaderEpoch:int32 magic:int8
//   crc:uint32 attributes:int16 lastOffsetDelta:int32 baseTimestamp:int64 maxTimestamp:int64
//   producerId:int64 producerEpoch:int16 baseSequence:int32 records:[Record] (count:int32 first)
// The CRC-32C covers attributes .. end of batch; batchLength counts the bytes after itself.
import { crc32c } from './crc32c'

export const OFF_BASE_OFFSET = 0
export const OFF_LENGTH = 8
export const OFF_LEADER_EPOCH = 12
export const OFF_MAGIC = 16
export const OFF_CRC = 17
export const OFF_ATTRIBUTES = 21
export const OFF_LAST_OFFSET_DELTA = 23
export const OFF_BASE_TIMESTAMP = 27
export const OFF_MAX_TIMESTAMP = 35
export const OFF_PRODUCER_ID = 43
export const OFF_PRODUCER_EPOCH = 51
export const OFF_BASE_SEQUENCE = 53
export const OFF_RECORD_COUNT = 57
/** Bytes of header before the first record. */
export const BATCH_HEADER_SIZE = 61
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12

export const ATTR_COMPRESSION_MASK = 0x07
export const ATTR_TIMESTAMP_TYPE = 0x08
export const ATTR_TRANSACTIONAL = 0x10
export const ATTR_CONTROL = 0x20
export const ATTR_DELETE_HORIZON = 0x40

export const NO_PRODUCER_ID = -1
export const NO_SEQUENCE = -1

export interface BatchHeader {
  baseOffset: number
  batchLength: number
  partitionLeaderEpoch: number
  magic: number
  crc: number
  attributes: number
  lastOffsetDelta: number
  baseTimestamp: number
  maxTimestamp: number
  producerId: number
  producerEpoch: number
  baseSequence: number
  recordCount: number
}

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4)
}

export function writeInt64(buf: Buffer, pos: number, n: number): void {
  const hi = Math.floor(n / 4294967296)
  buf.writeInt32BE(hi, pos)
  buf.writeUInt32BE(n - hi * 4294967296, pos + 4)
}

export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  return {
    baseOffset: readInt64(buf, pos + OFF_BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + OFF_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + OFF_LEADER_EPOCH),
    magic: buf.readInt8(pos + OFF_MAGIC),
    crc: buf.readUInt32BE(pos + OFF_CRC),
    attributes: buf.readInt16BE(pos + OFF_ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + OFF_LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, pos + OFF_BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, pos + OFF_MAX_TIMESTAMP),
    producerId: readInt64(buf, pos + OFF_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + OFF_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + OFF_BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + OFF_RECORD_COUNT),
  }
}

export const compressionOf = (attributes: number): number => attributes & ATTR_COMPRESSION_MASK
export const isLogAppendTime = (attributes: number): boolean => (attributes & ATTR_TIMESTAMP_TYPE) !== 0
export const isTransactional = (attributes: number): boolean => (attributes & ATTR_TRANSACTIONAL) !== 0
export const isControl = (attributes: number): boolean => (attributes & ATTR_CONTROL) !== 0
export const lastOffsetOf = (h: BatchHeader): number => h.baseOffset + h.lastOffsetDelta

/** Total bytes of the batch at pos (header included), or -1 when fewer than 12 bytes remain. */
export function batchSizeAt(buf: Buffer, pos: number, end = buf.length): number {
  if (end - pos < LOG_OVERHEAD) return -1
  return LOG_OVERHEAD + buf.readInt32BE(pos + OFF_LENGTH)
}

export type BatchProblem = 'truncated' | 'length' | 'magic' | 'crc' | 'count'

export interface BatchCheck {
  ok: boolean
  problem?: BatchProblem
  message?: string
  size: number
}

/**
 * Checks one batch at pos: framing, magic 2, CRC-32C. `strict` also requires
 * recordCount == lastOffsetDelta + 1 (true of every batch a producer sends; compacted batches
 * on disk may have gaps). `crc = false` skips the checksum, for a caller that verifies it
 * separately (checkBatchCrc) and must not pay for it twice.
 */
export function checkBatch(buf: Buffer, pos = 0, end = buf.length, strict = false, crc = true): BatchCheck {
  const remaining = end - pos
  if (remaining < LOG_OVERHEAD) return { ok: false, problem: 'truncated', message: `${remaining} trailing bytes are too few for a batch header`, size: 0 }
  const length = buf.readInt32BE(pos + OFF_LENGTH)
  const size = LOG_OVERHEAD + length
  if (length < BATCH_HEADER_SIZE - LOG_OVERHEAD) return { ok: false, problem: 'length', message: `batchLength ${length} is smaller than a v2 header`, size: 0 }
  if (size > remaining) return { ok: false, problem: 'truncated', message: `batchLength ${length} runs past the end of the data (${remaining - LOG_OVERHEAD} bytes left)`, size: 0 }
  const magic = buf.readInt8(pos + OFF_MAGIC)
  if (magic !== 2) return { ok: false, problem: 'magic', message: `magic byte ${magic} is not 2 (only RecordBatch v2 is supported)`, size }
  if (crc) {
    const bad = checkBatchCrc(buf, pos, size)
    if (bad !== undefined) return { ok: false, problem: 'crc', message: bad, size }
  }
  if (strict) {
    const count = buf.readInt32BE(pos + OFF_RECORD_COUNT)
    const delta = buf.readInt32BE(pos + OFF_LAST_OFFSET_DELTA)
    if (count <= 0 || count !== delta + 1) return { ok: false, problem: 'count', message: `record count ${count} disagrees with lastOffsetDelta ${delta}`, size }
  }
  return { ok: true, size }
}

/** undefined when the CRC-32C of the size-byte batch at pos matches its header, else why not. */
export function checkBatchCrc(buf: Buffer, pos: number, size: number): string | undefined {
  const stored = buf.readUInt32BE(pos + OFF_CRC)
  const actual = crc32c(buf, pos + OFF_ATTRIBUTES, pos + size)
  return stored === actual ? undefined : `CRC-32C mismatch: stored ${stored}, computed ${actual}`
}

export interface BatchSpan {
  position: number
  size: number
}

/** Positions of the consecutive whole batches in buf, without validation. */
export function batchSpans(buf: Buffer, start = 0, end = buf.length): BatchSpan[] {
  const spans: BatchSpan[] = []
  let pos = start
  for (;;) {
    const size = batchSizeAt(buf, pos, end)
    if (size < LOG_OVERHEAD || pos + size > end) break
    spans.push({ position: pos, size })
    pos += size
  }
  return spans
}

/** Rewrites baseOffset in place (not covered by the CRC). */
export function setBaseOffset(buf: Buffer, pos: number, offset: number): void {
  writeInt64(buf, pos + OFF_BASE_OFFSET, offset)
}

/** Rewrites partitionLeaderEpoch in place (not covered by the CRC). */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + OFF_LEADER_EPOCH)
}

/** Sets the LogAppendTime bit and maxTimestamp = ts, then recomputes the CRC. */
export function setLogAppendTime(buf: Buffer, pos: number, ts: number): void {
  const size = LOG_OVERHEAD + buf.readInt32BE(pos + OFF_LENGTH)
  buf.writeInt16BE(buf.readInt16BE(pos + OFF_ATTRIBUTES) | ATTR_TIMESTAMP_TYPE, pos + OFF_ATTRIBUTES)
  writeInt64(buf, pos + OFF_MAX_TIMESTAMP, ts)
  buf.writeUInt32BE(crc32c(buf, pos + OFF_ATTRIBUTES, pos + size), pos + OFF_CRC)
}

/** Recomputes and stores the CRC of the batch at pos. */
export function updateCrc(buf: Buffer, pos = 0): void {
  const size = LOG_OVERHEAD + buf.readInt32BE(pos + OFF_LENGTH)
  buf.writeUInt32BE(crc32c(buf, pos + OFF_ATTRIBUTES, pos + size), pos + OFF_CRC)
}
