// Shared by the storage benchmarks: a recorder of the file calls the engine makes, so the plain
// baseline can replay exactly the same calls (same write sizes, same fdatasync cadence), and
// the median used to report interleaved rounds.
import fsModule = require('node:fs')
import { encodeBatch } from '../core/protocol/records/record-codec'

/** One recorded call: a writev's buffer sizes, or an fdatasync. */
export type FileOp = { writev: number[] } | { fdatasync: true }

let recording: FileOp[] | undefined

/**
 * Wraps fs.writev / fs.fdatasync (the only calls the append path makes) to record them while
 * `record` runs. The wrapper stays installed for the baseline too, so both pay its cost.
 */
export function installRecorder(): void {
  const fsm = fsModule as unknown as Record<'writev' | 'fdatasync', unknown>
  const writev = fsModule.writev
  const fdatasync = fsModule.fdatasync
  fsm.writev = (fd: number, bufs: NodeJS.ArrayBufferView[], pos: number | null, cb: (e: Error | null, n: number) => void): void => {
    if (recording !== undefined) recording.push({ writev: bufs.map((b) => b.byteLength) })
    writev(fd, bufs, pos, cb)
  }
  fsm.fdatasync = (fd: number, cb: (e: Error | null) => void): void => {
    if (recording !== undefined) recording.push({ fdatasync: true })
    fdatasync(fd, cb)
  }
}

export async function record<T>(fn: () => Promise<T>): Promise<{ result: T; ops: FileOp[] }> {
  recording = []
  try {
    const result = await fn()
    return { result, ops: recording }
  } finally {
    recording = undefined
  }
}

/**
 * Replays ops on fd from position `at` with the fewest calls for the same work: the buffers the
 * engine wrote between two fdatasyncs go out in ONE writev (same buffer sizes, taken from
 * `data`), then the fdatasync. With one append in flight that is exactly the engine's calls; with
 * more, the engine may have split an interval into several writes, the baseline never does.
 * Returns the new position.
 */
export async function replay(fd: number, ops: FileOp[], data: Buffer, at: number): Promise<{ pos: number; writes: number; syncs: number }> {
  let pos = at
  let pending: Buffer[] = []
  let writes = 0
  let syncs = 0
  const flushWrites = async (): Promise<void> => {
    for (let i = 0; i < pending.length; i += 1024) { // IOV_MAX
      const bufs = pending.slice(i, i + 1024)
      let bytes = 0
      for (const b of bufs) bytes += b.length
      const written = await new Promise<number>((res, rej) => fsModule.writev(fd, bufs, pos, (e, n) => (e ? rej(e) : res(n))))
      if (written !== bytes) throw new Error(`short write in the baseline: ${written} of ${bytes}`)
      pos += bytes
      writes++
    }
    pending = []
  }
  for (const op of ops) {
    if ('writev' in op) { for (const n of op.writev) pending.push(data.subarray(0, n)); continue }
    await flushWrites()
    await new Promise<void>((res, rej) => fsModule.fdatasync(fd, (e) => (e ? rej(e) : res())))
    syncs++
  }
  await flushWrites()
  return { pos, writes, syncs }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export const mbps = (bytes: number, ms: number): number => bytes / 1048576 / (ms / 1000)

/** A RecordBatch of `count` records with 1 KiB values (what the benchmarks append). */
export function makeBatch(seed: number, count = 64, valueBytes = 1024): Buffer {
  const now = Date.now()
  return encodeBatch({ records: Array.from({ length: count }, (_, i) => ({ key: `key-${i}`, value: Buffer.alloc(valueBytes, (seed + i) & 0xff), timestamp: now })) })
}
