// Exact offset translation from offset syncs emitted under OffsetSyncEmitter's invariant.
//
// Syncs of one partition are folded into ranges [start, end] of upstream offsets whose records
// all have the same delta (downstream - upstream) and are contiguous. For a group that committed
// upstream offset U (the next record it wants), the answer is the downstream offset of the first
// replicated record >= U:
//   U in [start, end + 1] of a range            -> U + delta   (U itself, or the record after end)
//   U in (end, next.start] before the next range -> next.start + next.delta (the gap is skipped)
//   U before the first known sync or past end+1  -> unknown (never a guess)
// (When a next range exists, U = end + 1 takes the next range's answer, which is right even if
// foreign records were written downstream in between.)
import type { OffsetSync } from '../formats'

interface Range { start: number; end: number; delta: number; closed?: boolean }

/** Per partition; a gap-free topic needs one range, a compacted one up to one per gap. */
const MAX_RANGES = 100_000
const TRIM_CHUNK = 1024

export class PartitionSyncs {
  private ranges: Range[] = []

  add(upstream: number, downstream: number): void {
    const delta = downstream - upstream
    const tail = this.ranges[this.ranges.length - 1]
    // The same sync twice closes its range: the next sync starts a new one even at the same delta.
    if (tail !== undefined && tail.end === upstream && tail.delta === delta) { tail.closed = true; return }
    // A sync at or before known ground is a replay (restart): it re-maps everything from there on.
    while (this.ranges.length > 0 && this.ranges[this.ranges.length - 1].start >= upstream) this.ranges.pop()
    const last = this.ranges[this.ranges.length - 1]
    if (last !== undefined && last.end >= upstream) { last.end = upstream - 1; last.closed = false }
    if (last !== undefined && last.closed !== true && last.delta === delta && last.end < upstream) {
      // Same delta after a gap only arises when syncs are consecutive (the emitter's invariant):
      // the records between were contiguous with this delta.
      last.end = upstream
      return
    }
    this.ranges.push({ start: upstream, end: upstream, delta })
    // Bounded memory: the oldest ranges go first (offsets that old are unknown afterwards, never wrong).
    if (this.ranges.length > MAX_RANGES) this.ranges.splice(0, this.ranges.length - MAX_RANGES + TRIM_CHUNK)
  }

  /** Drops ranges wholly below `upstream` (keeps memory bounded once groups have moved past). */
  trimBelow(upstream: number): void {
    while (this.ranges.length > 1 && this.ranges[1].start <= upstream) this.ranges.shift()
  }

  translate(upstreamOffset: number): number | undefined {
    const rs = this.ranges
    if (rs.length === 0 || upstreamOffset < rs[0].start) return undefined
    // Binary search: the last range with start <= U.
    let lo = 0
    let hi = rs.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (rs[mid].start <= upstreamOffset) lo = mid
      else hi = mid - 1
    }
    const r = rs[lo]
    if (upstreamOffset <= r.end) return upstreamOffset + r.delta
    const next = rs[lo + 1]
    if (next !== undefined) return next.start + next.delta
    return upstreamOffset === r.end + 1 ? upstreamOffset + r.delta : undefined
  }

  get size(): number { return this.ranges.length }
}

export class OffsetTranslator {
  private readonly partitions = new Map<string, PartitionSyncs>()

  add(sync: OffsetSync): void {
    const key = `${sync.topic}\u0000${sync.partition}`
    let p = this.partitions.get(key)
    if (p === undefined) { p = new PartitionSyncs(); this.partitions.set(key, p) }
    p.add(sync.upstreamOffset, sync.downstreamOffset)
  }

  /** The downstream offset a group that committed `upstreamOffset` upstream resumes from, if known. */
  translate(topic: string, partition: number, upstreamOffset: number): number | undefined {
    return this.partitions.get(`${topic}\u0000${partition}`)?.translate(upstreamOffset)
  }
}
