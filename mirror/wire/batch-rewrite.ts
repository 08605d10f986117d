// Record batch v2 (magic 2) header access for batches forwarded as bytes: read the header, and
// turn a fetched batch into one this mirror's idempotent producer may send (its producer id,
// epoch and base sequence; not transactional; CRC-32C recomputed). Records are never touched.
//
// baseOffset int64 @0, batchLength int32 @8, partitionLeaderEpoch int32 @12, magic int8 @16,
// crc uint32 @17 (CRC-32C of bytes @21..end), attributes int16 @21, lastOffsetDelta int32 @23,
// firstTimestamp int64 @27, maxTimestamp int64 @35, producerId int64 @43, producerEpoch int16 @51,
// baseSequence int32 @53, recordCount int32 @57, records @61.
import { crc32c } from '@node-rs/crc32'

export const BATCH_OVERHEAD = 61
/** Bytes before batchLength counts: baseOffset + batchLength. */
export const LOG_OVERHEAD = 12

const OFF_BATCH_LENGTH = 8
const OFF_LEADER_EPOCH = 12
const OFF_MAGIC = 16
const OFF_CRC = 17
const OFF_ATTRIBUTES = 21
const OFF_LAST_OFFSET_DELTA = 23
const OFF_FIRST_TIMESTAMP = 27
const OFF_MAX_TIMESTAMP = 35
const OFF_PRODUCER_ID = 43
const OFF_PRODUCER_EPOCH = 51
const OFF_BASE_SEQUENCE = 53
const OFF_RECORD_COUNT = 57

const CODEC_MASK = 0x07
const TIMESTAMP_TYPE_BIT = 0x08
const TRANSACTIONAL_BIT = 0x10
const CONTROL_BIT = 0x20

/** Codec ids of a batch's attributes bits 0-2, by Kafka's names. */
export const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
export type CodecName = (typeof CODEC_NAMES)[number]

export interface BatchHeader {
  baseOffset: number
  /** Bytes after the batchLength field; the batch is LOG_OVERHEAD + batchLength bytes. */
  batchLength: number
  partitionLeaderEpoch: number
  magic: number
  crc: number
  attributes: number
  codec: number
  logAppendTime: boolean
  transactional: boolean
  control: boolean
  lastOffsetDelta: number
  firstTimestamp: number
  maxTimestamp: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  recordCount: number
}

/** The header of the batch at `at` (the caller knows a whole header is there: BATCH_OVERHEAD bytes). */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  const attributes = buf.readInt16BE(at + OFF_ATTRIBUTES)
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    batchLength: buf.readInt32BE(at + OFF_BATCH_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(at + OFF_LEADER_EPOCH),
    magic: buf.readInt8(at + OFF_MAGIC),
    crc: buf.readUInt32BE(at + OFF_CRC),
    attributes,
    codec: attributes & CODEC_MASK,
    logAppendTime: (attributes & TIMESTAMP_TYPE_BIT) !== 0,
    transactional: (attributes & TRANSACTIONAL_BIT) !== 0,
    control: (attributes & CONTROL_BIT) !== 0,
    lastOffsetDelta: buf.readInt32BE(at + OFF_LAST_OFFSET_DELTA),
    firstTimestamp: Number(buf.readBigInt64BE(at + OFF_FIRST_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(at + OFF_MAX_TIMESTAMP)),
    producerId: buf.readBigInt64BE(at + OFF_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(at + OFF_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(at + OFF_BASE_SEQUENCE),
    recordCount: buf.readInt32BE(at + OFF_RECORD_COUNT),
  }
}

export function batchRecordCount(batch: Buffer): number {
  return batch.readInt32BE(OFF_RECORD_COUNT)
}

/**
 * Sequence numbers a batch uses: lastOffsetDelta + 1, as Kafka's broker counts them (it equals the
 * record count unless compaction left gaps).
 */
export function batchSequenceSpan(batch: Buffer): number {
  return batch.readInt32BE(OFF_LAST_OFFSET_DELTA) + 1
}

export function batchCodec(batch: Buffer): number {
  return batch.readInt16BE(OFF_ATTRIBUTES) & CODEC_MASK
}

/** True when the stored CRC matches the bytes it covers (attributes to the end). */
export function crcMatches(batch: Buffer): boolean {
  return batch.readUInt32BE(OFF_CRC) === crc32c(batch.subarray(OFF_ATTRIBUTES))
}

/**
 * Makes `batch` a batch of this producer, in place: producer id, epoch and base sequence set,
 * the transactional bit cleared (the target write is not part of a transaction), and, as Kafka's
 * producer sends them, base offset 0 and partition leader epoch -1 (the broker assigns both; a
 * compressed batch whose inner offsets do not start at 0 would make Kafka recompress it). The
 * CRC is recomputed. In place is safe: fetched batches are slices of a response buffer nobody
 * else reads, and a retry must resend exactly these bytes anyway.
 */
export function stampBatch(batch: Buffer, producerId: bigint, producerEpoch: number, baseSequence: number): void {
  if (batch.length < BATCH_OVERHEAD || batch.readInt8(OFF_MAGIC) !== 2) throw new RangeError('not a v2 record batch')
  batch.writeBigInt64BE(0n, 0)
  batch.writeInt32BE(-1, OFF_LEADER_EPOCH)
  batch.writeInt16BE(batch.readInt16BE(OFF_ATTRIBUTES) & ~TRANSACTIONAL_BIT, OFF_ATTRIBUTES)
  batch.writeBigInt64BE(producerId, OFF_PRODUCER_ID)
  batch.writeInt16BE(producerEpoch, OFF_PRODUCER_EPOCH)
  batch.writeInt32BE(baseSequence, OFF_BASE_SEQUENCE)
  batch.writeUInt32BE(crc32c(batch.subarray(OFF_ATTRIBUTES)), OFF_CRC)
}

const MAX_SEQUENCE = 0x7fffffff

/** The sequence after `count` records from `sequence`: past 2^31-1 it wraps to 0, as Kafka's does. */
export function nextSequence(sequence: number, count: number): number {
  return sequence > MAX_SEQUENCE - count ? count - (MAX_SEQUENCE - sequence) - 1 : sequence + count
}
