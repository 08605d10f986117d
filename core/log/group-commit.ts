// Group commit for one partition: appends queue their (already offset-stamped) batches here;
// one loop writes everything queued (one writev per segment), keeps writing while more arrives,
// then one fsync covers all of it. While a write+fsync is in flight new appends queue up and share the next one,
// so N concurrent appends cost far fewer than N fsyncs.
import { fsyncFd, writeFilesDurably, writevAt } from './io'
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

interface Chunk { seg: Segment; buf: Buffer; endOffset: number; messages: number }
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
  fsyncs = 0
  writes = 0
  writtenOffset: number
  durableOffset: number

  constructor(startOffset: number, private readonly hooks: CommitHooks) {
    this.writtenOffset = this.durableOffset = startOffset
  }

  enqueue(seg: Segment, buf: Buffer, endOffset: number, messages: number): void {
    this.queue.push({ seg, buf, endOffset, messages })
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
      while (this.queue.length > 0 || this.needsSync()) {
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
    if (this.queue.length > 0 || this.needsSync()) this.kick()
  }

  private async write(chunks: Chunk[]): Promise<void> {
    let i = 0
    const servable = new Set<Segment>()
    while (i < chunks.length) {
      const seg = chunks[i].seg
      const bufs: Buffer[] = []
      let bytes = 0
      while (i < chunks.length && chunks[i].seg === seg && bufs.length < IOV_MAX) { bufs.push(chunks[i].buf); bytes += chunks[i].buf.length; this.unflushedMessages += chunks[i].messages; i++ }
      await seg.fds.with(seg.logPath, async (fd) => {
        let at = seg.writtenSize
        let rest = bufs
        while (rest.length > 0) {
          const n = await writevAt(fd, rest, at)
          at += n
          rest = dropWritten(rest, n)
        }
      })
      seg.writtenSize += bytes
      this.writes++
      commitStats.writes++
      this.dirty.add(seg)
      servable.add(seg)
    }
    this.writtenOffset = chunks[chunks.length - 1].endOffset
    if (this.hooks.policy().flushMessages > 1) this.hooks.onServable(this.writtenOffset, servable)
    this.resolve(false)
  }

  private needsSync(): boolean {
    if (this.dirty.size === 0 && this.toSettle.size === 0) return false
    const p = this.hooks.policy()
    return this.forceSync || this.unflushedMessages >= p.flushMessages || Date.now() - this.lastSyncMs >= p.flushMs ||
      this.waiters.some((w) => w.durable && w.endOffset <= this.writtenOffset) ||
      [...this.toSettle].some((s) => s.writtenSize === s.size)
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

function dropWritten(bufs: Buffer[], n: number): Buffer[] {
  let i = 0
  while (i < bufs.length && n >= bufs[i].length) { n -= bufs[i].length; i++ }
  const rest = bufs.slice(i)
  if (n > 0 && rest.length > 0) rest[0] = rest[0].subarray(n)
  return rest
}
