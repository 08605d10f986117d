// One segment: <base>.log holding batches back to back, with its offset and time indexes.
// Byte accounting: `size` counts every batch assigned to the segment (some perhaps still queued
// for writing), `readableSize` only those at or below the high watermark.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { LOG_OVERHEAD, OFF_LAST_OFFSET_DELTA, OFF_LENGTH, readInt64 } from '../protocol/records/batch-header'
import { decodeBatch } from '../protocol/records/record-codec'
import type { FdCache } from './fd-cache'
import { fsyncDir, readFully, readFullySync, segmentName, writeFileAtomic, type FileWrite } from './io'
import { OffsetIndex } from './offset-index'
import { scanFile, type ScanResult } from './scan'
import { TimeIndex } from './time-index'

/** The segment was deleted or replaced while a reader used it; the reader retries. */
export class SegmentGoneError extends Error {}

export class Segment {
  readonly logPath: string
  readonly indexPath: string
  readonly timeIndexPath: string
  offsetIndex = new OffsetIndex()
  timeIndex = new TimeIndex()
  size = 0
  readableSize = 0
  /** Offset after the last batch in the segment (== baseOffset when empty). */
  nextOffset: number
  maxTimestamp = -1
  offsetOfMaxTimestamp = -1
  private bytesSinceIndex = 0
  /** Bytes handed to the file (written, maybe not fsynced). */
  writtenSize = 0
  sealed = false
  /** Sealed, fully fsynced and its indexes written: retention and the cleaner may touch it. */
  settled = false
  /** Removed by retention or replaced by the cleaner; readers retry on the live list. */
  gone = false
  /** The index files on disk match the in-memory indexes. */
  indexesSaved = false

  constructor(readonly dir: string, readonly baseOffset: number, readonly fds: FdCache, public createdMs: number) {
    const name = segmentName(baseOffset)
    this.logPath = path.join(dir, `${name}.log`)
    this.indexPath = path.join(dir, `${name}.index`)
    this.timeIndexPath = path.join(dir, `${name}.timeindex`)
    this.nextOffset = baseOffset
  }

  static create(dir: string, baseOffset: number, fds: FdCache, now: number): Segment {
    const seg = new Segment(dir, baseOffset, fds, now)
    fds.withSync(seg.logPath, (fd) => fs.ftruncateSync(fd, 0))
    fsyncDir(dir)
    return seg
  }

  get isEmpty(): boolean { return this.size === 0 }
  get lastOffset(): number { return this.nextOffset - 1 }

  /** Records a batch placed at position (in memory only: offsets, timestamps, sparse indexes). */
  track(position: number, size: number, baseOffset: number, lastOffset: number, maxTimestamp: number, indexInterval: number): void {
    if (this.bytesSinceIndex > indexInterval || (position === 0 && this.offsetIndex.count === 0)) {
      this.offsetIndex.append(baseOffset - this.baseOffset, position)
      this.timeIndex.maybeAppend(Math.max(maxTimestamp, this.maxTimestamp), (maxTimestamp > this.maxTimestamp ? baseOffset : this.offsetOfMaxTimestamp) - this.baseOffset)
      this.bytesSinceIndex = 0
    }
    this.bytesSinceIndex += size
    if (maxTimestamp > this.maxTimestamp) { this.maxTimestamp = maxTimestamp; this.offsetOfMaxTimestamp = baseOffset }
    this.nextOffset = lastOffset + 1
    this.size = position + size
    this.indexesSaved = false
  }

  /** Number of offset index entries the segment may hold before it must roll. */
  indexFull(maxIndexBytes: number): boolean { return this.offsetIndex.count >= Math.floor(maxIndexBytes / 8) }

  /** Writes both index files (a final time-index entry for the newest timestamp first). */
  writeIndexes(): void {
    for (const w of this.indexFiles()) writeFileAtomic(w.file, w.data)
    this.indexesSaved = true
  }

  /** The index files' contents, for a batched durable write (clean shutdown). */
  indexFiles(): FileWrite[] {
    if (this.maxTimestamp >= 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset)
    return [{ file: this.indexPath, data: this.offsetIndex.toBuffer() }, { file: this.timeIndexPath, data: this.timeIndex.toBuffer() }]
  }

  /**
   * Rebuilds offsets and indexes by scanning the file; with validate, checks every batch's CRC
   * and truncates the file at the first invalid byte. Returns the scan result.
   */
  rebuild(validate: boolean, indexInterval: number): ScanResult {
    const fileSize = fs.statSync(this.logPath).size
    this.offsetIndex = new OffsetIndex()
    this.timeIndex = new TimeIndex()
    this.bytesSinceIndex = 0
    this.maxTimestamp = -1
    this.offsetOfMaxTimestamp = -1
    this.nextOffset = this.baseOffset
    this.size = 0
    const result = this.fds.withSync(this.logPath, (fd) => {
      const r = scanFile(fd, 0, fileSize, validate, (b) => this.track(b.position, b.size, b.baseOffset, b.lastOffset, b.maxTimestamp, indexInterval), this.baseOffset)
      if (r.validEnd < fileSize) fs.ftruncateSync(fd, r.validEnd)
      // What survived a crash may sit only in the page cache: make it durable before it counts as recovered.
      if (validate) fs.fsyncSync(fd)
      return r
    })
    this.size = this.readableSize = this.writtenSize = result.validEnd
    return result
  }

  /** Loads trusted index files; false when missing or failing the sanity check. */
  loadIndexes(): boolean {
    const fileSize = fs.statSync(this.logPath).size
    if (fileSize === 0) return true // an empty segment (a new partition): nothing to index
    let oi: OffsetIndex | undefined
    let ti: TimeIndex | undefined
    try {
      oi = OffsetIndex.fromBuffer(fs.readFileSync(this.indexPath), fileSize)
      ti = TimeIndex.fromBuffer(fs.readFileSync(this.timeIndexPath), 0x7fffffff)
    } catch { return false }
    if (oi === undefined || ti === undefined) return false
    if (fileSize > 0 && oi.count === 0) return false
    // The last indexed entry must point at a batch with that offset; the tail after it gives nextOffset.
    const ok = this.fds.withSync(this.logPath, (fd) => {
      let pos = oi.lastPosition
      let next = this.baseOffset
      while (pos < fileSize) {
        const h = readFullySync(fd, pos, 27)
        if (h.length < 27) return false
        const base = readInt64(h, 0)
        if (pos === oi.lastPosition && base !== this.baseOffset + oi.lastRelOffset) return false
        next = base + h.readInt32BE(OFF_LAST_OFFSET_DELTA) + 1
        pos += LOG_OVERHEAD + h.readInt32BE(OFF_LENGTH)
      }
      if (pos !== fileSize) return false
      this.nextOffset = next
      return true
    })
    if (!ok) return false
    this.offsetIndex = oi
    this.timeIndex = ti
    this.maxTimestamp = ti.lastTimestamp
    this.offsetOfMaxTimestamp = ti.count === 0 ? -1 : this.baseOffset + ti.entry(ti.count - 1).relOffset
    this.bytesSinceIndex = fileSize - oi.lastPosition
    this.size = this.readableSize = this.writtenSize = fileSize
    this.indexesSaved = true
    return true
  }

  /** Position of the first batch whose last offset >= offset, below limit; -1 if none. */
  async locate(offset: number, limit = this.readableSize): Promise<number> {
    if (this.gone) throw new SegmentGoneError()
    const exact = this.offsetIndex.exact(offset - this.baseOffset) // a consumer's next offset usually starts a batch
    if (exact >= 0 && exact < limit) return exact
    let pos = this.offsetIndex.lookup(offset - this.baseOffset)
    return this.fds.with(this.logPath, async (fd) => {
      while (pos < limit) {
        const h = await readFully(fd, pos, 27)
        if (h.length < 27) return -1
        if (readInt64(h, 0) + h.readInt32BE(OFF_LAST_OFFSET_DELTA) >= offset) return pos
        pos += LOG_OVERHEAD + h.readInt32BE(OFF_LENGTH)
      }
      return -1
    })
  }

  async readAt(position: number, length: number): Promise<Buffer> {
    if (this.gone) throw new SegmentGoneError()
    return this.fds.with(this.logPath, (fd) => readFully(fd, position, length))
  }

  /** First record with timestamp >= ts among batches below limit, or undefined. */
  async findTimestamp(ts: number, limit = this.readableSize): Promise<{ offset: number; timestamp: number } | undefined> {
    if (this.maxTimestamp < ts) return undefined
    let pos = await this.locate(this.baseOffset + this.timeIndex.lookup(ts), limit)
    if (pos < 0) return undefined
    while (pos < limit) {
      const head = await this.readAt(pos, 43)
      const size = LOG_OVERHEAD + head.readInt32BE(OFF_LENGTH)
      if (readInt64(head, 35) >= ts) {
        const batch = decodeBatch(await this.readAt(pos, size))
        const rec = batch.records.find((r) => r.timestamp >= ts)
        if (rec !== undefined) return { offset: rec.offset, timestamp: rec.timestamp }
      }
      pos += size
    }
    return undefined
  }

  /** Renames the files to .deleted (readers see `gone`) and returns them for later unlinking. */
  markDeleted(): string[] {
    this.gone = true
    this.fds.evict(this.logPath)
    const out: string[] = []
    for (const p of [this.logPath, this.indexPath, this.timeIndexPath]) {
      try { fs.renameSync(p, `${p}.deleted`); out.push(`${p}.deleted`) } catch { /* index may be absent */ }
    }
    return out
  }
}
