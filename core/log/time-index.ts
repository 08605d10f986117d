// The sparse time index of one segment: 12-byte entries (largest timestamp so far as int64,
// relative offset of the batch holding it as int32). Timestamps strictly increase, so every
// batch before an entry's batch has a smaller max timestamp: a lookup can start there.
import { readInt64, writeInt64 } from '../protocol/records/batch-header'

export const TIME_ENTRY_SIZE = 12

export class TimeIndex {
  private ts: number[] = []
  private rel: number[] = []

  get count(): number { return this.ts.length }
  get lastTimestamp(): number { return this.ts.length === 0 ? -1 : this.ts[this.ts.length - 1] }
  entry(i: number): { timestamp: number; relOffset: number } { return { timestamp: this.ts[i], relOffset: this.rel[i] } }

  /** Adds an entry if the timestamp is newer than the last one. */
  maybeAppend(timestamp: number, relOffset: number): void {
    if (timestamp <= this.lastTimestamp) return
    this.ts.push(timestamp)
    this.rel.push(relOffset)
  }

  /** Relative offset to start scanning from for the first record with timestamp >= target. */
  lookup(target: number): number {
    let lo = 0
    let hi = this.ts.length - 1
    let found = 0
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.ts[mid] < target) { found = this.rel[mid]; lo = mid + 1 } else hi = mid - 1
    }
    return found
  }

  truncateToRelOffset(relOffset: number): void {
    while (this.rel.length > 0 && this.rel[this.rel.length - 1] >= relOffset) { this.rel.pop(); this.ts.pop() }
  }

  toBuffer(): Buffer {
    const buf = Buffer.allocUnsafe(this.ts.length * TIME_ENTRY_SIZE)
    for (let i = 0; i < this.ts.length; i++) {
      writeInt64(buf, i * TIME_ENTRY_SIZE, this.ts[i])
      buf.writeInt32BE(this.rel[i], i * TIME_ENTRY_SIZE + 8)
    }
    return buf
  }

  /** Parses an index file; undefined if it fails the sanity check (order, offset range). */
  static fromBuffer(buf: Buffer, maxRelOffset: number): TimeIndex | undefined {
    if (buf.length % TIME_ENTRY_SIZE !== 0) return undefined
    const idx = new TimeIndex()
    for (let i = 0; i < buf.length; i += TIME_ENTRY_SIZE) {
      const ts = readInt64(buf, i)
      const rel = buf.readInt32BE(i + 8)
      if (ts <= idx.lastTimestamp || rel < 0 || rel > maxRelOffset || (idx.count > 0 && rel < idx.rel[idx.count - 1])) return undefined
      idx.ts.push(ts)
      idx.rel.push(rel)
    }
    return idx
  }
}
