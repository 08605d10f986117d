// Group commit for one partition: appends queue their (already offset-stamped) batches here;
// one loop writes everything queued (one writev per segment), keeps writing while more arrives,
// then one fsync covers all of it. While a write+fsync is in flight new appends queue up and share the next one,
// so N concurrent appends cost far fewer than N fsyncs.
// A large single batch may instead have its write started by the append itself (`dispatch`)
// before its CRC-32C is verified, so the check overlaps the write; the loop then only waits for
// that write. If the check fails, `discard` cuts the bytes off again before anything else is
// written there (they lie past the segment's size, so nothing ever reads them).
import * as fs from 'node:fs'
import { fsyncFd, writeAllAt, writeFilesDurably } from './io'
import type { Segment } from './segment'

export interface FlushPolicy {
  /** fsync once this many messages are unflushed (1 = every append is durable before it resolves). */
  flushMessages: number
  flushMs: number
}

export interface CommitHooks {
  policy(): FlushPolicy
  /** Data up to endOffset may be served (written under a lax policy, fsynced under the default). */
  onServable(endOffset: number, segs: Iterable<Segment>): void
  /** Data up to endOffset is fsynced. */
  onDurable(endOffset: number): void
  onError(err: Error): void
}

interface Chunk { seg: Segment; buf: Buffer; pos: number; endOffset: number; messages: number; inFlight: Promise<void> | undefined }
interface Waiter { endOffset: number; durable: boolean; resolve: () => void; reject: (e: Error) => void }

/** fsyncs issued by every GroupCommit in the process (benchmarks and tests read it). */
export const commitStats = { fsyncs: 0, writes: 0 }

const IOV_MAX = 1024

export class GroupCommit {
  private queue: Chunk[] = []
  private waiters: Waiter[] = []
  private readonly dirty = new Set<Segment>()
  private readonly toSettle = new Set<Segment>()
  private running = false
  private forceSync = false
  private unflushedMessages = 0
  private lastSyncMs = Date.now()
  private timer: NodeJS.Timeout | undefined
  private failed: Error | undefined
  /** A discarded speculative write being cut off: nothing is written until it is done. */
  private barrier: Promise<void> | undefined
  /** Writes under way (dispatched by appends or by the loop). */
  private writing = 0
  fsyncs = 0
  writes = 0
  writtenOffset: number
  durableOffset: number

  constructor(startOffset: number, private readonly hooks: CommitHooks) {
    this.writtenOffset = this.durableOffset = startOffset
  }

  /** Queues buf (at file position pos of seg); inFlight is its write if `dispatch` started it. */
  enqueue(seg: Segment, buf: Buffer, pos: number, endOffset: number, messages: number, inFlight?: Promise<void>): void {
    this.queue.push({ seg, buf, pos, endOffset, messages, inFlight })
    this.kick()
  }

  /**
   * Whether an append may start its own write now: only when nothing else is under way. In a
   * burst of concurrent appends one writev for all of them costs less than a write each (every
   * write call wakes a thread-pool thread, which on a busy machine takes the CPU the remaining
   * checks need).
   */
  canDispatch(): boolean { return this.writing === 0 && this.queue.length === 0 && this.barrier === undefined && this.failed === undefined }

  /** Starts writing buf at pos at once; the append then enqueues it with the returned write, or discards it. */
  dispatch(seg: Segment, buf: Buffer, pos: number): Promise<void> {
    this.writing++
    const write = seg.fds.with(seg.logPath, (fd) => writeAllAt(fd, [buf], pos)).finally(() => { this.writing-- })
    write.catch(() => undefined) // observed by the loop (or by discard); never unhandled meanwhile
    this.writes++
    commitStats.writes++
    return write
  }

  /** The dispatched write at pos was for a rejected batch: truncate its bytes away once it lands. */
  discard(seg: Segment, write: Promise<void>, pos: number): void {
    this.barrier = (async () => {
      await write.catch(() => undefined)
      await seg.fds.with(seg.logPath, (fd) => new Promise<void>((resolve, reject) => fs.ftruncate(fd, pos, (e) => (e ? reject(e) : resolve()))))
    })()
    this.barrier.catch(() => undefined) // a failed truncate fails the loop when it waits here; never unhandled meanwhile
    this.kick()
  }

  /** A rolled segment: fsync it and write its index files once all its data is written. */
  seal(seg: Segment): void {
    this.toSettle.add(seg)
    this.kick()
  }

  /** Resolves when data before endOffset is written (durable=false) or fsynced (durable=true). */
  waitFor(endOffset: number, durable: boolean): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed)
    if (endOffset <= (durable ? this.durableOffset : this.writtenOffset)) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.waiters.push({ endOffset, durable, resolve, reject })
      if (durable) this.forceSync = this.forceSync || this.queue.length === 0
      this.kick()
    })
  }

  /** Writes and fsyncs everything queued. */
  async flush(): Promise<void> {
    this.forceSync = true
    this.kick()
    await this.waitFor(Math.max(this.writtenOffset, this.queue.length > 0 ? this.queue[this.queue.length - 1].endOffset : 0), true)
    await this.idle()
  }

  /** Resolves once the loop has nothing left to do. */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setImmediate(r))
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
  }

  private kick(): void {
    if (this.running || this.failed !== undefined) return
    this.running = true
    // Start at once: the first write overlaps the validation of appends that arrive meanwhile.
    this.run().catch((e: Error) => this.fail(e))
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.needsSync() || this.barrier !== undefined) {
        await this.passBarrier()
        // Write what is queued, then once more what queued meanwhile (bounded, so a steady
        // stream of appends cannot postpone the fsync forever); one fsync covers it all.
        for (let round = 0; round < 2 && this.queue.length > 0; round++) {
          const chunks = this.queue
          this.queue = []
          await this.write(chunks)
        }
        if (this.needsSync()) await this.sync()
        await this.settle()
      }
    } finally {
      this.running = false
    }
    this.armTimer()
    if (this.queue.length > 0 || this.needsSync() || this.barrier !== undefined) this.kick()
  }

  /** Waits until a discarded write has been cut off (a disk error there fails the partition). */
  private async passBarrier(): Promise<void> {
    while (this.barrier !== undefined) {
      const b = this.barrier
      await b
      if (this.barrier === b) this.barrier = undefined
    }
  }

  private async write(chunks: Chunk[]): Promise<void> {
    await this.passBarrier() // chunks queued after a discard reuse its file position
    // Consecutive chunks of one segment are contiguous in the file: one writev each run, all
    // runs (and writes the appends already started) in flight together.
    const writes: Promise<void>[] = []
    let i = 0
    while (i < chunks.length) {
      const c = chunks[i]
      this.unflushedMessages += c.messages
      i++
      if (c.inFlight !== undefined) { writes.push(c.inFlight); continue }
      const bufs = [c.buf]
      while (i < chunks.length && chunks[i].seg === c.seg && chunks[i].inFlight === undefined && bufs.length < IOV_MAX) {
        bufs.push(chunks[i].buf)
        this.unflushedMessages += chunks[i].messages
        i++
      }
      writes.push(c.seg.fds.with(c.seg.logPath, (fd) => writeAllAt(fd, bufs, c.pos)))
      this.writes++
      commitStats.writes++
    }
    this.writing++
    try {
      await (writes.length === 1 ? writes[0] : Promise.all(writes))
    } finally {
      this.writing--
    }
    for (const c of chunks) {
      const end = c.pos + c.buf.length
      if (end > c.seg.writtenSize) c.seg.writtenSize = end
      this.dirty.add(c.seg)
    }
    this.writtenOffset = chunks[chunks.length - 1].endOffset
    if (this.hooks.policy().flushMessages > 1) this.hooks.onServable(this.writtenOffset, new Set(chunks.map((c) => c.seg)))
    this.resolve(false)
  }

  private needsSync(): boolean {
    if (this.dirty.size === 0 && this.toSettle.size === 0) return false
    const p = this.hooks.policy()
    if (this.forceSync || this.unflushedMessages >= p.flushMessages || Date.now() - this.lastSyncMs >= p.flushMs) return true
    for (const w of this.waiters) if (w.durable && w.endOffset <= this.writtenOffset) return true
    for (const s of this.toSettle) if (s.writtenSize === s.size) return true
    return false
  }

  private async sync(): Promise<void> {
    const segs = [...this.dirty]
    this.dirty.clear()
    this.forceSync = false
    const upTo = this.writtenOffset
    for (const seg of segs) {
      await seg.fds.with(seg.logPath, (fd) => fsyncFd(fd))
      this.fsyncs++
      commitStats.fsyncs++
    }
    this.unflushedMessages = 0
    this.lastSyncMs = Date.now()
    this.durableOffset = upTo
    if (this.hooks.policy().flushMessages <= 1) this.hooks.onServable(upTo, segs)
    this.hooks.onDurable(upTo)
    this.resolve(true)
  }

  private async settle(): Promise<void> {
    for (const seg of [...this.toSettle]) {
      if (seg.writtenSize !== seg.size || this.dirty.has(seg)) continue
      await writeFilesDurably(seg.indexFiles())
      seg.indexesSaved = true
      seg.settled = true
      this.toSettle.delete(seg)
    }
  }

  private resolve(durable: boolean): void {
    const upTo = durable ? this.durableOffset : this.writtenOffset
    const keep: Waiter[] = []
    for (const w of this.waiters) {
      if (w.endOffset <= upTo && (durable || !w.durable)) w.resolve()
      else keep.push(w)
    }
    this.waiters = keep
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.dirty.size === 0) return
    const { flushMs } = this.hooks.policy()
    if (flushMs >= 2 ** 31) return
    this.timer = setTimeout(() => { this.timer = undefined; this.kick() }, Math.max(0, flushMs - (Date.now() - this.lastSyncMs)))
    this.timer.unref()
  }

  private fail(err: Error): void {
    this.failed = err
    for (const w of this.waiters) w.reject(err)
    this.waiters = []
    this.hooks.onError(err)
  }
}
