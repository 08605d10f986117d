// Log compaction (cleanup.policy=compact): keep the newest record per key in the settled,
// non-active segments; tombstones survive delete.retention.ms past their batch timestamp.
// Batches keep their offsets (a filtered batch keeps its base offset and lastOffsetDelta, with
// gaps inside) and their codec: compressed batches are decompressed to read keys and the
// survivors re-compressed with the same codec. Each segment is swapped crash-safely:
// write <base>.log.cleaned, rename to .swap (the commit point), drop the old indexes, rename
// over <base>.log; recovery finishes a .swap or discards a .cleaned.
import * as fs from 'node:fs'
import { batchSpans } from '../protocol/records/batch-header'
import { decodeBatch, encodeBatch } from '../protocol/records/record-codec'
import { fsyncDir } from './io'
import type { PartitionLog } from './partition-log'
import { Segment } from './segment'
import { hasPolicy } from './topic-config'

/** Offset up to which each log has been cleaned (in memory; a restart cleans once more). */
const cleanedUpTo = new WeakMap<PartitionLog, number>()

export interface CleanResult { segmentsCleaned: number; recordsRemoved: number }

function cleanable(log: PartitionLog, now: number): Segment[] {
  const lag = log.config['min.compaction.lag.ms']
  const out: Segment[] = []
  for (const s of log.segments.slice(0, -1)) {
    if (!s.settled || (lag > 0 && s.maxTimestamp > now - lag)) break
    out.push(s)
  }
  return out
}

/** Whether the share of not-yet-cleaned bytes reaches min.cleanable.dirty.ratio. */
export function needsCleaning(log: PartitionLog, now = log.clock.now()): boolean {
  if (!hasPolicy(log.config, 'compact')) return false
  const segs = cleanable(log, now)
  const total = segs.reduce((n, s) => n + s.size, 0)
  if (total === 0) return false
  const from = cleanedUpTo.get(log) ?? -1
  const dirty = segs.filter((s) => s.baseOffset >= from).reduce((n, s) => n + s.size, 0)
  return dirty > 0 && dirty / total >= log.config['min.cleanable.dirty.ratio']
}

export async function cleanLog(log: PartitionLog, now: number): Promise<CleanResult> {
  const result: CleanResult = { segmentsCleaned: 0, recordsRemoved: 0 }
  if (!hasPolicy(log.config, 'compact')) return result
  const segs = cleanable(log, now)
  if (segs.length === 0) return result
  // Pass 1: newest offset of every key in the cleanable range.
  const latest = new Map<string, number>()
  const contents = new Map<Segment, Buffer>()
  for (const seg of segs) {
    const buf = fs.readFileSync(seg.logPath).subarray(0, seg.size)
    contents.set(seg, buf)
    for (const span of batchSpans(buf)) {
      const b = decodeBatch(buf, span.position)
      if (b.control) continue
      for (const r of b.records) if (r.key !== null) latest.set(r.key.toString('latin1'), r.offset)
    }
  }
  // Pass 2: rewrite each segment that loses records.
  const horizon = now - log.config['delete.retention.ms']
  for (const seg of segs) {
    const buf = contents.get(seg)!
    const parts: Buffer[] = []
    let removed = 0
    for (const span of batchSpans(buf)) {
      const bytes = buf.subarray(span.position, span.position + span.size)
      const b = decodeBatch(buf, span.position)
      if (b.control) { parts.push(bytes); continue }
      const keep = b.records.filter((r) => r.key === null ||
        (latest.get(r.key.toString('latin1')) === r.offset && !(r.value === null && b.maxTimestamp < horizon)))
      removed += b.records.length - keep.length
      if (keep.length === b.records.length) parts.push(bytes)
      else if (keep.length > 0) {
        parts.push(encodeBatch({
          records: keep.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, offsetDelta: r.offset - b.baseOffset })),
          compression: b.compression, baseOffset: b.baseOffset, partitionLeaderEpoch: b.partitionLeaderEpoch,
          baseTimestamp: b.baseTimestamp, maxTimestamp: b.maxTimestamp, lastOffsetDelta: b.lastOffsetDelta,
          producerId: b.producerId, producerEpoch: b.producerEpoch, baseSequence: b.baseSequence,
          transactional: b.transactional, logAppendTime: b.logAppendTime,
        }))
      }
    }
    if (removed === 0) continue
    if (!log.segments.includes(seg)) continue // retention removed it meanwhile
    swapIn(log, seg, Buffer.concat(parts))
    result.segmentsCleaned++
    result.recordsRemoved += removed
  }
  cleanedUpTo.set(log, segs[segs.length - 1].nextOffset)
  return result
}

function swapIn(log: PartitionLog, old: Segment, data: Buffer): void {
  const cleaned = `${old.logPath}.cleaned`
  const swap = `${old.logPath}.swap`
  const fd = fs.openSync(cleaned, 'w', 0o644)
  try { fs.writeSync(fd, data); fs.fsyncSync(fd) } finally { fs.closeSync(fd) }
  fs.renameSync(cleaned, swap)
  fsyncDir(log.dir)
  old.gone = true
  log.fds.evict(old.logPath)
  fs.rmSync(old.indexPath, { force: true })
  fs.rmSync(old.timeIndexPath, { force: true })
  fs.renameSync(swap, old.logPath)
  fsyncDir(log.dir)
  const fresh = new Segment(log.dir, old.baseOffset, log.fds, old.createdMs)
  fresh.rebuild(false, log.config['index.interval.bytes'])
  fresh.nextOffset = Math.max(fresh.nextOffset, old.nextOffset) // offsets of dropped tail batches stay consumed
  fresh.writeIndexes()
  fresh.sealed = fresh.settled = true
  log.segments = log.segments.map((s) => (s === old ? fresh : s))
}
