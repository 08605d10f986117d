// Exclusive ownership of a data directory, like Kafka's .lock file: a second broker (another
// process, or a second LogManager in this one) opening the same directory fails at once instead
// of interleaving writes into the same segments. Node has no flock, so the lock is a file
// created with O_EXCL holding the owner's pid and process start time; a lock whose owner is no
// longer running (killed, crashed) is stale and taken over.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DataDirLockedError } from './errors'

export const LOCK_FILE = '.lock'

interface Holder { pid: number; start: string }

/** The process's start time from /proc (tells a reused pid apart); '' where /proc is absent. */
function startTimeOf(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime), counted after the parenthesised command name, which may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''
  } catch {
    return ''
  }
}

function isRunning(h: Holder): boolean {
  try {
    process.kill(h.pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false // ESRCH: no such process
  }
  const now = startTimeOf(h.pid)
  return h.start === '' || now === '' || now === h.start
}

function parse(text: string): Holder | undefined {
  const [pid, start] = text.split('\n')
  const n = Number(pid)
  return Number.isSafeInteger(n) && n > 0 ? { pid: n, start: start ?? '' } : undefined
}

function readHolder(file: string): Holder | undefined {
  try { return parse(fs.readFileSync(file, 'utf8')) } catch { return undefined }
}

export class DataDirLock {
  private released = false

  private constructor(readonly dir: string, readonly file: string) {}

  /** Takes the lock on dir or throws DataDirLockedError naming the directory and the holder's pid. */
  static acquire(dir: string): DataDirLock {
    const file = path.join(dir, LOCK_FILE)
    const mine = `${process.pid}\n${startTimeOf(process.pid)}\n`
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx', 0o644)
        try { fs.writeSync(fd, mine); fs.fsyncSync(fd) } finally { fs.closeSync(fd) }
        return new DataDirLock(dir, file)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      const holder = readHolder(file)
      if (holder === undefined) {
        // Being written by its creator right now (or left torn by a crash): look again shortly.
        if (attempt < 4) { sleepMs(20); continue }
      } else if (isRunning(holder)) {
        throw new DataDirLockedError(`data directory ${dir} is locked by process ${holder.pid}${holder.pid === process.pid ? ' (this process: another LogManager has it open)' : ''}; stop that broker first, or use another log.dirs`)
      }
      // Stale: move it aside (rename is atomic, so of two processes taking over only one wins)
      // and check that what moved is the dead owner's lock, not a live one that replaced it.
      const aside = `${file}.stale-${process.pid}`
      try { fs.renameSync(file, aside) } catch { continue }
      const moved = readHolder(aside)
      if (moved !== undefined && isRunning(moved)) {
        try { fs.linkSync(aside, file) } catch { /* a third process locked meanwhile */ }
        fs.rmSync(aside, { force: true })
        throw new DataDirLockedError(`data directory ${dir} is locked by process ${moved.pid}; stop that broker first, or use another log.dirs`)
      }
      fs.rmSync(aside, { force: true })
    }
    throw new DataDirLockedError(`data directory ${dir}: could not take its lock file ${file} (it keeps changing); is another broker starting on it?`)
  }

  /** Removes the lock file (clean shutdown). */
  release(): void {
    if (this.released) return
    this.released = true
    const h = readHolder(this.file)
    if (h !== undefined && h.pid === process.pid) fs.rmSync(this.file, { force: true })
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
