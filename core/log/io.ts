// Promise wrappers over positional file I/O on raw descriptors (fs.promises needs FileHandles,
// which the descriptor cache does not keep), plus small durable-write helpers.
import * as fs from 'node:fs'
import * as path from 'node:path'

export function writevAt(fd: number, bufs: Buffer[], position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.writev(fd, bufs, position, (err, n) => (err ? reject(err) : resolve(n))))
}

/** Writes all of bufs at position, however many calls that takes (writev may write less). */
export async function writeAllAt(fd: number, bufs: Buffer[], position: number): Promise<void> {
  let rest = bufs
  let at = position
  for (;;) {
    const n = await writevAt(fd, rest, at)
    at += n
    let i = 0
    let skip = n
    while (i < rest.length && skip >= rest[i].length) { skip -= rest[i].length; i++ }
    if (i === rest.length) return
    if (n === 0 && skip === 0 && i === 0) throw new Error(`writev at ${at} wrote nothing`)
    rest = rest.slice(i)
    if (skip > 0) rest[0] = rest[0].subarray(skip)
  }
}

export function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())))
}

export function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))))
}

/** Reads exactly length bytes at position (fewer only at end of file). */
export async function readFully(fd: number, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length)
  let done = 0
  while (done < length) {
    const n = await readAt(fd, buf, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done === length ? buf : buf.subarray(0, done)
}

export function readFullySync(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length)
  let done = 0
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done === length ? buf : buf.subarray(0, done)
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = fs.openSync(dir, 'r')
    fs.fsyncSync(fd)
  } catch { /* some filesystems refuse directory fsync */ } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** Writes a small file atomically: temp file, fsync, rename, fsync the directory. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp`
  const fd = fs.openSync(tmp, 'w', 0o644)
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
  fsyncDir(path.dirname(file))
}

export const segmentName = (baseOffset: number): string => String(baseOffset).padStart(20, '0')

export interface FileWrite { file: string; data: Buffer | string }

/**
 * Replaces many small files durably and in parallel: write temp files, fsync them (the thread
 * pool runs several at once), rename into place, fsync each directory once.
 */
export async function writeFilesDurably(writes: FileWrite[]): Promise<void> {
  await forEachLimited(writes, 16, async (w) => {
    const fh = await fs.promises.open(`${w.file}.tmp`, 'w', 0o644)
    try { await fh.writeFile(w.data); await fh.sync() } finally { await fh.close() }
  })
  for (const w of writes) fs.renameSync(`${w.file}.tmp`, w.file)
  await forEachLimited([...new Set(writes.map((w) => path.dirname(w.file)))], 16, async (dir) => {
    const fh = await fs.promises.open(dir, 'r')
    try { await fh.sync() } catch { /* directory fsync unsupported */ } finally { await fh.close() }
  })
}

export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => { while (next < items.length) await fn(items[next++]) }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Replaces files by temp file + rename without fsync: for files that are validated on load and
 * rebuilt when damaged (indexes, producer snapshots at clean shutdown), where an fsync per file
 * would make closing thousands of partitions slow.
 */
export function writeFilesQuick(writes: FileWrite[]): void {
  for (const w of writes) {
    fs.writeFileSync(`${w.file}.tmp`, w.data)
    fs.renameSync(`${w.file}.tmp`, w.file)
  }
}
