// Retention: whole non-active segments go when they are older than retention.ms, while the
// partition is over retention.bytes, or when they lie wholly below logStartOffset
// (DeleteRecords). Files are renamed to .deleted and unlinked after file.delete.delay.ms.
import * as fs from 'node:fs'
import type { PartitionLog } from './partition-log'
import type { Segment } from './segment'
import { hasPolicy } from './topic-config'

/** Segments retention may remove: settled (sealed, fsynced, indexed), never the active one. */
function removable(log: PartitionLog): Segment[] {
  return log.segments.slice(0, -1).filter((s) => s.settled)
}

/** Applies retention.ms and retention.bytes; returns how many segments were deleted. */
export function applyRetention(log: PartitionLog, now: number): number {
  const cfg = log.config
  if (!hasPolicy(cfg, 'delete')) return 0
  const doomed: Segment[] = []
  const retentionMs = cfg['retention.ms']
  const retentionBytes = cfg['retention.bytes']
  let excess = retentionBytes >= 0 ? log.size - retentionBytes : 0
  for (const seg of removable(log)) {
    const expired = retentionMs >= 0 && seg.maxTimestamp >= 0 && now - seg.maxTimestamp > retentionMs
    const oversize = retentionBytes >= 0 && excess - seg.size >= 0
    if (!expired && !oversize) break // only a prefix of the log may go
    doomed.push(seg)
    excess -= seg.size
  }
  if (doomed.length === 0) return 0
  removeSegments(log, doomed)
  log.setLogStartOffset(log.segments[0].baseOffset)
  return doomed.length
}

/** Drops settled segments whose every offset is below offset (after DeleteRecords). */
export function deleteSegmentsBelow(log: PartitionLog, offset: number): number {
  const doomed: Segment[] = []
  for (const seg of removable(log)) {
    if (seg.nextOffset > offset) break
    doomed.push(seg)
  }
  if (doomed.length > 0) removeSegments(log, doomed)
  return doomed.length
}

function removeSegments(log: PartitionLog, doomed: Segment[]): void {
  const set = new Set(doomed)
  log.segments = log.segments.filter((s) => !set.has(s))
  const files = doomed.flatMap((s) => s.markDeleted())
  scheduleUnlink(log, files)
}

export function scheduleUnlink(log: PartitionLog, files: string[]): void {
  const unlink = (): void => { for (const f of files) fs.rmSync(f, { force: true }) }
  const delay = log.config['file.delete.delay.ms']
  if (delay <= 0) { unlink(); return }
  const t = setTimeout(() => { log.pendingDeletes.delete(t); unlink() }, Math.min(delay, 2 ** 31 - 1))
  t.unref()
  log.pendingDeletes.add(t)
}
