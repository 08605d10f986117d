// Sequential scan of a segment file's batches, in large chunks, used to rebuild indexes and to
// validate every batch after the recovery point. Stops at the first byte that does not start a
// whole, valid batch and reports where that is.
import * as fs from 'node:fs'
import { BATCH_HEADER_SIZE, checkBatch, LOG_OVERHEAD, OFF_LAST_OFFSET_DELTA, OFF_LENGTH, OFF_MAX_TIMESTAMP, OFF_MAGIC, readInt64 } from '../protocol/records/batch-header'

const CHUNK = 1 << 20

export interface ScannedBatch {
  position: number
  size: number
  baseOffset: number
  lastOffset: number
  maxTimestamp: number
  /** The batch bytes; valid only during the callback. */
  bytes: Buffer
}

export interface ScanResult {
  /** Position after the last whole valid batch. */
  validEnd: number
  /** Why the scan stopped before the end of the file, if it did. */
  problem?: string
}

/**
 * Calls onBatch for each batch of fd in [start, end). With validate, checks magic and CRC-32C
 * (and that offsets increase); otherwise only framing.
 */
export function scanFile(fd: number, start: number, end: number, validate: boolean, onBatch: (b: ScannedBatch) => void, minOffset = -1): ScanResult {
  let chunk = Buffer.allocUnsafe(0)
  let chunkStart = start
  let pos = start
  let prevLast = minOffset - 1
  const load = (at: number, want: number): void => {
    const len = Math.min(Math.max(want, CHUNK), end - at)
    chunk = Buffer.allocUnsafe(len)
    let done = 0
    while (done < len) {
      const n = fs.readSync(fd, chunk, done, len - done, at + done)
      if (n === 0) break
      done += n
    }
    chunk = chunk.subarray(0, done)
    chunkStart = at
  }
  while (pos < end) {
    let rel = pos - chunkStart
    if (rel + LOG_OVERHEAD > chunk.length) { load(pos, LOG_OVERHEAD); rel = 0 }
    if (chunk.length - rel < LOG_OVERHEAD) return { validEnd: pos, problem: `${end - pos} trailing bytes are too few for a batch` }
    const size = LOG_OVERHEAD + chunk.readInt32BE(rel + OFF_LENGTH)
    if (size < BATCH_HEADER_SIZE) return { validEnd: pos, problem: `batch at position ${pos} has an impossible length ${size}` }
    if (pos + size > end) return { validEnd: pos, problem: `batch at position ${pos} (${size} bytes) is cut off at the end of the file` }
    if (rel + size > chunk.length) { load(pos, size); rel = 0 }
    if (validate) {
      const check = checkBatch(chunk, rel, rel + size)
      if (!check.ok) return { validEnd: pos, problem: `batch at position ${pos}: ${check.message}` }
    } else if (chunk.readInt8(rel + OFF_MAGIC) !== 2) {
      return { validEnd: pos, problem: `batch at position ${pos} has magic ${chunk.readInt8(rel + OFF_MAGIC)}` }
    }
    const baseOffset = readInt64(chunk, rel)
    const lastOffset = baseOffset + chunk.readInt32BE(rel + OFF_LAST_OFFSET_DELTA)
    if (validate && (baseOffset <= prevLast || lastOffset < baseOffset)) {
      return { validEnd: pos, problem: `batch at position ${pos} has offsets ${baseOffset}..${lastOffset} after ${prevLast}` }
    }
    prevLast = lastOffset
    onBatch({ position: pos, size, baseOffset, lastOffset, maxTimestamp: readInt64(chunk, rel + OFF_MAX_TIMESTAMP), bytes: chunk.subarray(rel, rel + size) })
    pos += size
  }
  return { validEnd: pos }
}
