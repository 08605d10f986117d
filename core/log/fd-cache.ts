// A bounded LRU of open segment file descriptors, so thousands of partitions (each with several
// segments) never exhaust the process's descriptor limit. A descriptor in use is pinned and
// never closed under its user; eviction closes the least recently used unpinned one. When every
// cached descriptor is pinned, async users wait for one to be released.
import * as fs from 'node:fs'

interface Entry { fd: number; pins: number; live: boolean }

const OPEN_FLAGS = fs.constants.O_RDWR | fs.constants.O_CREAT

export class FdCache {
  private readonly entries = new Map<string, Entry>()
  private pinned = 0
  private readonly waiting: (() => void)[] = []
  /** Files opened since creation (a measure of cache misses). */
  opens = 0

  constructor(readonly capacity = 1000) {}

  get openCount(): number { return this.entries.size }

  /** Runs fn with the descriptor of path (opened read-write, created if absent) pinned. */
  async with<T>(path: string, fn: (fd: number) => Promise<T>): Promise<T> {
    while (!this.entries.has(path) && this.pinned >= this.capacity) await new Promise<void>((r) => this.waiting.push(r))
    const e = this.acquire(path)
    try { return await fn(e.fd) } finally { this.release(e) }
  }

  /** Synchronous use (startup, recovery, compaction): may briefly exceed the capacity by one. */
  withSync<T>(path: string, fn: (fd: number) => T): T {
    const e = this.acquire(path)
    try { return fn(e.fd) } finally { this.release(e) }
  }

  /** Forgets path (renamed or deleted file); its descriptor closes once no one uses it. */
  evict(path: string): void {
    const e = this.entries.get(path)
    if (e === undefined) return
    this.entries.delete(path)
    e.live = false
    if (e.pins === 0) closeQuietly(e.fd)
    else { this.pinned--; this.waiting.shift()?.() }
  }

  /** Forgets every path under dir (a deleted partition). */
  evictUnder(dir: string): void {
    for (const path of [...this.entries.keys()]) if (path.startsWith(dir)) this.evict(path)
  }

  closeAll(): void {
    for (const path of [...this.entries.keys()]) this.evict(path)
  }

  private acquire(path: string): Entry {
    let e = this.entries.get(path)
    if (e !== undefined) {
      this.entries.delete(path) // re-inserted below: most recently used goes last
    } else {
      this.trim(this.capacity - 1)
      e = { fd: fs.openSync(path, OPEN_FLAGS, 0o644), pins: 0, live: true }
      this.opens++
    }
    if (e.pins++ === 0) this.pinned++
    this.entries.set(path, e)
    return e
  }

  private release(e: Entry): void {
    e.pins--
    if (e.pins > 0) return
    if (!e.live) { closeQuietly(e.fd); return }
    this.pinned--
    this.trim(this.capacity)
    this.waiting.shift()?.()
  }

  private trim(max: number): void {
    if (this.entries.size <= max) return
    for (const [path, e] of this.entries) {
      if (this.entries.size <= max) break
      if (e.pins === 0) this.evict(path)
    }
  }
}

function closeQuietly(fd: number): void {
  try { fs.closeSync(fd) } catch { /* already closed */ }
}
