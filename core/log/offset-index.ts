// The sparse offset index of one segment: 8-byte entries (offset relative to the segment's base
// as int32, file position as int32), one every index.interval.bytes. Kept in memory and written
// whole when the segment is sealed or the log closes cleanly; rebuilt from the log otherwise.

export const OFFSET_ENTRY_SIZE = 8

export class OffsetIndex {
  private rel: Int32Array = new Int32Array(16)
  private pos: Int32Array = new Int32Array(16)
  count = 0

  append(relOffset: number, position: number): void {
    if (this.count === this.rel.length) {
      this.rel = grow(this.rel)
      this.pos = grow(this.pos)
    }
    this.rel[this.count] = relOffset
    this.pos[this.count] = position
    this.count++
  }

  get lastRelOffset(): number { return this.count === 0 ? -1 : this.rel[this.count - 1] }
  get lastPosition(): number { return this.count === 0 ? 0 : this.pos[this.count - 1] }
  entry(i: number): { relOffset: number; position: number } { return { relOffset: this.rel[i], position: this.pos[i] } }

  /** File position of the last indexed batch starting at or before relOffset (0 if none). */
  lookup(relOffset: number): number {
    let lo = 0
    let hi = this.count - 1
    let found = 0
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.rel[mid] <= relOffset) { found = this.pos[mid]; lo = mid + 1 } else hi = mid - 1
    }
    return found
  }

  /** Position of the batch that starts exactly at relOffset, if the index has it; else -1. */
  exact(relOffset: number): number {
    let lo = 0
    let hi = this.count - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.rel[mid] === relOffset) return this.pos[mid]
      if (this.rel[mid] < relOffset) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** Largest indexed position in (after, atMost], or -1: a batch boundary to end a read at. */
  boundaryAtMost(after: number, atMost: number): number {
    let lo = 0
    let hi = this.count - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.pos[mid] <= atMost) { found = this.pos[mid]; lo = mid + 1 } else hi = mid - 1
    }
    return found > after ? found : -1
  }

  /** Drops entries at or past a file position (the log was truncated there). */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.pos[this.count - 1] >= position) this.count--
  }

  toBuffer(): Buffer {
    const buf = Buffer.allocUnsafe(this.count * OFFSET_ENTRY_SIZE)
    for (let i = 0; i < this.count; i++) {
      buf.writeInt32BE(this.rel[i], i * OFFSET_ENTRY_SIZE)
      buf.writeInt32BE(this.pos[i], i * OFFSET_ENTRY_SIZE + 4)
    }
    return buf
  }

  /** Parses an index file; returns undefined if it fails the sanity check against the log size. */
  static fromBuffer(buf: Buffer, logSize: number): OffsetIndex | undefined {
    if (buf.length % OFFSET_ENTRY_SIZE !== 0) return undefined
    const idx = new OffsetIndex()
    let lastRel = -1
    let lastPos = -1
    for (let i = 0; i < buf.length; i += OFFSET_ENTRY_SIZE) {
      const rel = buf.readInt32BE(i)
      const pos = buf.readInt32BE(i + 4)
      if (rel <= lastRel || pos <= lastPos || pos >= logSize || rel < 0) return undefined
      idx.append(rel, pos)
      lastRel = rel
      lastPos = pos
    }
    return idx
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}
