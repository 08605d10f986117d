// Validation of a produce request's record set before anything is written: framing, magic, CRC,
// record count vs lastOffsetDelta, size limit. Any failure leaves the log untouched.
import { checkBatch, checkBatchCrc, OFF_BASE_SEQUENCE, OFF_BASE_TIMESTAMP, OFF_LAST_OFFSET_DELTA, OFF_MAX_TIMESTAMP, OFF_PRODUCER_EPOCH, OFF_PRODUCER_ID, OFF_ATTRIBUTES, ATTR_CONTROL, readInt64 } from '../protocol/records/batch-header'
import { CorruptRecordError, InvalidRecordError, InvalidTimestampError, RecordTooLargeError } from './errors'

/** Kafka's message.timestamp.before/after.max.ms, applied per batch (first and newest timestamp). */
export function checkTimestamps(where: string, batches: IncomingBatch[], now: number, beforeMax: number, afterMax: number): void {
  for (const [i, b] of batches.entries()) {
    if (now - b.baseTimestamp > beforeMax) {
      throw new InvalidTimestampError(`${where}: batch ${i} has timestamp ${b.baseTimestamp}, more than message.timestamp.before.max.ms=${beforeMax} before the broker time ${now}`)
    }
    if (b.maxTimestamp - now > afterMax) {
      throw new InvalidTimestampError(`${where}: batch ${i} has timestamp ${b.maxTimestamp}, more than message.timestamp.after.max.ms=${afterMax} after the broker time ${now}`)
    }
  }
}

export interface IncomingBatch {
  position: number
  baseTimestamp: number
  size: number
  lastOffsetDelta: number
  maxTimestamp: number
  producerId: number
  producerEpoch: number
  baseSequence: number
  control: boolean
}

/**
 * Checks every batch of a produce request. With crc = false the CRC-32C is left to verifyCrcs,
 * which the caller must run before the batches count as accepted.
 */
export function checkIncoming(where: string, buf: Buffer, maxMessageBytes: number, crc = true): IncomingBatch[] {
  const out: IncomingBatch[] = []
  let pos = 0
  if (buf.length === 0) throw new InvalidRecordError(`${where}: the produce request carried no record batch`)
  while (pos < buf.length) {
    const c = checkBatch(buf, pos, buf.length, true, crc)
    if (!c.ok) {
      const what = `${where}: batch ${out.length} (byte ${pos}) rejected: ${c.message}; nothing was appended`
      throw c.problem === 'count' ? new InvalidRecordError(what) : new CorruptRecordError(what)
    }
    if (c.size > maxMessageBytes) {
      throw new RecordTooLargeError(`${where}: batch ${out.length} is ${c.size} bytes, over max.message.bytes=${maxMessageBytes}; send smaller batches or raise max.message.bytes`)
    }
    out.push({
      position: pos,
      size: c.size,
      lastOffsetDelta: buf.readInt32BE(pos + OFF_LAST_OFFSET_DELTA),
      maxTimestamp: readInt64(buf, pos + OFF_MAX_TIMESTAMP),
      baseTimestamp: readInt64(buf, pos + OFF_BASE_TIMESTAMP),
      producerId: readInt64(buf, pos + OFF_PRODUCER_ID),
      producerEpoch: buf.readInt16BE(pos + OFF_PRODUCER_EPOCH),
      baseSequence: buf.readInt32BE(pos + OFF_BASE_SEQUENCE),
      control: (buf.readInt16BE(pos + OFF_ATTRIBUTES) & ATTR_CONTROL) !== 0,
    })
    pos += c.size
  }
  return out
}

/** The CRC-32C half of checkIncoming: throws the same CorruptRecordError it would have. */
export function verifyCrcs(where: string, buf: Buffer, batches: IncomingBatch[]): void {
  for (const [i, b] of batches.entries()) {
    const bad = checkBatchCrc(buf, b.position, b.size)
    if (bad !== undefined) throw new CorruptRecordError(`${where}: batch ${i} (byte ${b.position}) rejected: ${bad}; nothing was appended`)
  }
}
