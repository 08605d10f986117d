// Log compaction (cleanup.policy=compact): keep the newest record per key in the settled,
// non-active segments; tombstones survive delete.retention.ms past their batch timestamp.
// Batches keep their offsets (a filtered batch keeps its base offset and lastOffsetDelta, with
// gaps inside) and their codec: compressed batches are decompressed to read keys and the
// survivors re-compressed with the same codec. Each segment is swapped crash-safely:
// write <base>.log.cleaned, rename to .swap (the commit point), drop the old indexes, rename
// over <base>.log; recovery finishes a .swap or discards a .cleaned.
import * as fs from 'node:fs'
import { decodeBatch, encodeBatch, type DecodedBatch, type DecodedRecord } from '../protocol/records/record-codec'
import { fsyncDir } from './io'
import { scanFile } from './scan'
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
  const dirtySegs = segs.filter((s) => s.baseOffset >= from)
  const dirty = dirtySegs.reduce((n, s) => n + s.size, 0)
  if (dirty === 0) return false
  // max.compaction.lag.ms: a record may not stay uncompacted longer than this, whatever the ratio.
  const overdue = dirtySegs.some((s) => s.maxTimestamp >= 0 && now - s.maxTimestamp > log.config['max.compaction.lag.ms'])
  return overdue || dirty / total >= log.config['min.cleanable.dirty.ratio']
}

/** Logs being cleaned right now: the timer and a manual run never clean one log twice at once. */
const busy = new WeakSet<PartitionLog>()
const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r))

export async function cleanLog(log: PartitionLog, now: number): Promise<CleanResult> {
  const result: CleanResult = { segmentsCleaned: 0, recordsRemoved: 0 }
  if (!hasPolicy(log.config, 'compact') || busy.has(log)) return result
  busy.add(log)
  try {
    const segs = cleanable(log, now)
    if (segs.length === 0) return result
    // Pass 1: newest offset of every key in the cleanable range (segments read in 1 MiB chunks).
    const latest = new Map<string, number>()
    for (const seg of segs) {
      if (seg.gone) return result
      forEachBatch(seg, (bytes) => {
        const b = decodeBatch(bytes)
        if (!b.control) for (const r of b.records) if (r.key !== null) latest.set(r.key.toString('latin1'), r.offset)
      })
      await yieldToEventLoop()
    }
    // Pass 2: rewrite each segment that loses records, one at a time, yielding in between.
    const horizon = now - log.config['delete.retention.ms']
    let snapshotted = false
    for (const seg of segs) {
      if (log.closed) break
      if (seg.gone || !log.segments.includes(seg)) continue // retention removed it meanwhile
      const parts: Buffer[] = []
      let removed = 0
      forEachBatch(seg, (bytes) => {
        const b = decodeBatch(bytes)
        if (b.control) { parts.push(Buffer.from(bytes)); return }
        const keep = b.records.filter((r) => r.key === null ||
          (latest.get(r.key.toString('latin1')) === r.offset && !(r.value === null && b.maxTimestamp < horizon)))
        removed += b.records.length - keep.length
        if (keep.length === b.records.length) parts.push(Buffer.from(bytes))
        else if (keep.length > 0) parts.push(filteredBatch(b, keep))
      })
      if (removed > 0) {
        if (!snapshotted) {
          // Removed batches can no longer rebuild producer state: persist it first, at a durable offset.
          if (!(await snapshotAtDurableEnd(log))) break
          if (seg.gone || !log.segments.includes(seg)) continue
          snapshotted = true
        }
        swapIn(log, seg, parts)
        result.segmentsCleaned++
        result.recordsRemoved += removed
      }
      await yieldToEventLoop()
    }
    cleanedUpTo.set(log, segs[segs.length - 1].nextOffset)
    return result
  } finally {
    busy.delete(log)
  }
}

/**
 * Writes a producer-state snapshot at the log end once everything up to it is durable (so a
 * crash can never discard it); gives up if appends keep the end ahead of the durable point.
 */
async function snapshotAtDurableEnd(log: PartitionLog): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    await log.flush()
    if (log.closed) return false
    if (log.highWatermark === log.logEndOffset && log.recoveryPoint >= log.logEndOffset) {
      log.producers.writeSnapshot(log.logEndOffset)
      return true
    }
  }
  return false
}

function forEachBatch(seg: Segment, fn: (bytes: Buffer) => void): void {
  seg.fds.withSync(seg.logPath, (fd) => scanFile(fd, 0, seg.size, false, (b) => fn(b.bytes)))
}

/** The survivors of a batch, same base offset, offset range, codec and producer fields. */
function filteredBatch(b: DecodedBatch, keep: DecodedRecord[]): Buffer {
  return encodeBatch({
    records: keep.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, offsetDelta: r.offset - b.baseOffset })),
    compression: b.compression, baseOffset: b.baseOffset, partitionLeaderEpoch: b.partitionLeaderEpoch,
    baseTimestamp: b.baseTimestamp, maxTimestamp: b.maxTimestamp, lastOffsetDelta: b.lastOffsetDelta,
    producerId: b.producerId, producerEpoch: b.producerEpoch, baseSequence: b.baseSequence,
    transactional: b.transactional, logAppendTime: b.logAppendTime,
  })
}

function swapIn(log: PartitionLog, old: Segment, parts: Buffer[]): void {
  const cleaned = `${old.logPath}.cleaned`
  const swap = `${old.logPath}.swap`
  const fd = fs.openSync(cleaned, 'w', 0o644)
  try { fs.writevSync(fd, parts); fs.fsyncSync(fd) } finally { fs.closeSync(fd) }
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
