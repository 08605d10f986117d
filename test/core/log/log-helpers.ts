// Shared fixtures for the storage-engine tests: batches, a fake clock, a manager in a temp dir.
import { makeTempDir } from '../../helpers/temp-dir'
import { LogManager, type LogManagerOptions, type PartitionLog } from '../../../core/log'
import { batchSpans, readBatchHeader } from '../../../core/protocol/records/batch-header'
import { encodeBatch, type EncodeBatchOptions, type RecordInput } from '../../../core/protocol/records/record-codec'

export class FakeClock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number { return this.t }
  advance(ms: number): void { this.t += ms }
}

/** A batch of n records "<prefix>-<i>" (keys k<i> unless given), timestamps from ts. */
export function batch(n: number, opts: Partial<EncodeBatchOptions> & { prefix?: string; ts?: number; valueBytes?: number } = {}): Buffer {
  const records: RecordInput[] = Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    value: opts.valueBytes !== undefined ? Buffer.alloc(opts.valueBytes, i & 0xff) : `${opts.prefix ?? 'v'}-${i}`,
    timestamp: (opts.ts ?? 1_700_000_000_000) + i,
  }))
  return encodeBatch({ records, ...opts })
}

export async function withManager<T>(fn: (m: LogManager, dir: string, clock: FakeClock) => Promise<T>, opts: Partial<LogManagerOptions> = {}): Promise<T> {
  const tmp = makeTempDir('godwit-log-')
  const clock = new FakeClock()
  const m = await LogManager.open({ dataDir: tmp.dir, clock, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0, ...opts })
  try {
    return await fn(m, tmp.dir, clock)
  } finally {
    await m.close().catch(() => undefined)
    tmp.cleanup()
  }
}

export const openManager = (dir: string, clock: FakeClock, opts: Partial<LogManagerOptions> = {}): Promise<LogManager> =>
  LogManager.open({ dataDir: dir, clock, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0, ...opts })

/**
 * Simulates a crash after the last acknowledged append: no flush of indexes, no marker. The
 * data-directory lock goes as it would with the dead process (a real crash leaves a stale lock
 * file, which dir-lock.spec.ts covers with a killed child process).
 */
export async function abandon(m: LogManager): Promise<void> {
  for (const log of m.allPartitions()) { await log.commit.idle(); log.closed = true; log.commit.close() }
  ;(m as unknown as { timers: NodeJS.Timeout[] }).timers.forEach((t) => clearInterval(t))
  m.fds.closeAll()
  ;(m as unknown as { lock: { release(): void } }).lock.release()
}

/** Every stored byte from logStartOffset to the high watermark, read as a consumer would. */
export async function readEverything(log: PartitionLog): Promise<Buffer> {
  const parts: Buffer[] = []
  let off = log.logStartOffset
  while (off < log.highWatermark) {
    const { records } = await log.read(off, 1 << 20)
    if (records.length === 0) break
    parts.push(records)
    const spans = batchSpans(records)
    const last = readBatchHeader(records, spans[spans.length - 1].position)
    off = last.baseOffset + last.lastOffsetDelta + 1
  }
  return Buffer.concat(parts)
}
