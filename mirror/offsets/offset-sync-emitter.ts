// Decides which offset syncs the source task emits, so translation can be exact.
//
// Invariant: between two consecutive syncs of a partition, every replicated record has the delta
// (downstream - upstream) of the first sync and both sides are contiguous there. A sync is
// therefore emitted whenever contiguity breaks between a record and the previous one (an upstream gap
// from compaction or transaction markers, a foreign write downstream), together with one for the
// previous record when it was not one (so a translator knows exactly where the old range ends),
// and also every
// offset.lag.max records and on a periodic flush of the tail, which extend the range a translator
// knows is covered. MM2 emits only every offset.lag.max records and translates approximately.
import type { OffsetSync } from '../formats'

interface PartitionState {
  lastUpstream: number
  lastDownstream: number
  lastSyncUpstream: number
  /** The last replicated record is not itself a sync yet. */
  tailPending: boolean
}

export class OffsetSyncEmitter {
  private readonly partitions = new Map<string, PartitionState>()

  constructor(private readonly offsetLagMax: number) {}

  /** Call for every replicated record, in offset order per partition; returns the syncs to emit, in order. */
  record(topic: string, partition: number, upstreamOffset: number, downstreamOffset: number): OffsetSync[] {
    const key = `${topic}\u0000${partition}`
    const s = this.partitions.get(key)
    // Contiguity breaks on either side (a gap upstream, foreign records downstream, or a replay
    // after a restart); equal-sized gaps on both sides keep the delta but still break it.
    const breaks = s !== undefined && (upstreamOffset !== s.lastUpstream + 1 || downstreamOffset !== s.lastDownstream + 1)
    const emit = s === undefined || breaks || upstreamOffset - s.lastSyncUpstream >= this.offsetLagMax
    const out: OffsetSync[] = []
    if (breaks) {
      const prev = { topic, partition, upstreamOffset: s.lastUpstream, downstreamOffset: s.lastDownstream }
      if (s.tailPending) out.push(prev)
      // Equal-sized gaps on both sides keep the delta, so the two syncs alone would read as one
      // contiguous range; repeating the previous sync marks the range closed (wire format unchanged).
      if (downstreamOffset - upstreamOffset === s.lastDownstream - s.lastUpstream) out.push({ ...prev })
    }
    if (emit) out.push({ topic, partition, upstreamOffset, downstreamOffset })
    const next: PartitionState = {
      lastUpstream: upstreamOffset,
      lastDownstream: downstreamOffset,
      lastSyncUpstream: emit ? upstreamOffset : s!.lastSyncUpstream,
      tailPending: !emit,
    }
    this.partitions.set(key, next)
    return out
  }

  /** Syncs for every partition whose last record is not yet covered (call periodically). */
  flushTail(): OffsetSync[] {
    const out: OffsetSync[] = []
    for (const [key, s] of this.partitions) {
      if (!s.tailPending) continue
      const [topic, p] = key.split('\u0000')
      out.push({ topic, partition: Number(p), upstreamOffset: s.lastUpstream, downstreamOffset: s.lastDownstream })
      s.tailPending = false
      s.lastSyncUpstream = s.lastUpstream
    }
    return out
  }

  /** Forget partitions no longer assigned (their next record starts a fresh mapping). */
  forget(topic: string, partition: number): void {
    this.partitions.delete(`${topic}\u0000${partition}`)
  }
}
