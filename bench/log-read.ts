// Sequential read throughput of the storage engine (PartitionLog.read in 1 MiB fetches from
// offset 0 to the high watermark) against a plain file read of the same bytes, in the same run,
// both from the page cache.
//
// Fairness: the baseline does the reads the engine did, call for call: one fs.read of the same
// length at the same position of the same segment file, into a fresh Buffer of that length (a
// fetch returns whole batches, so a read is a little under 1 MiB). Engine and baseline
// alternate in rounds (order flipped every round); the figures are medians over rounds.
//   npx tsc -p . ; node dist/bench/log-read.js      (BENCH_MB=256, ROUNDS=30 by default)
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LogManager, type PartitionLog } from '../core/log'
import { LOG_OVERHEAD, OFF_LAST_OFFSET_DELTA, OFF_LENGTH, readInt64 } from '../core/protocol/records/batch-header'
import { makeBatch, mbps, median } from './log-common'

const TOTAL_MB = Number(process.env.BENCH_MB ?? 256)
const ROUNDS = Number(process.env.ROUNDS ?? 30)
const FETCH = 1 << 20

interface Read { file: number; position: number; length: number }

/** Offset after the last batch in records (walks the batch headers: no decoding). */
function nextOffset(records: Buffer): number {
  let pos = 0
  let last = 0
  while (pos < records.length) { last = pos; pos += LOG_OVERHEAD + records.readInt32BE(pos + OFF_LENGTH) }
  return readInt64(records, last) + records.readInt32BE(last + OFF_LAST_OFFSET_DELTA) + 1
}

/** Reads the whole log; returns bytes read and, when asked, where each read came from. */
async function readLog(log: PartitionLog, reads?: Read[]): Promise<number> {
  let off = 0
  let bytes = 0
  const filePos = log.segments.map(() => 0)
  while (off < log.highWatermark) {
    const { records } = await log.read(off, FETCH)
    if (reads !== undefined) {
      let seg = 0
      while (seg + 1 < log.segments.length && log.segments[seg + 1].baseOffset <= off) seg++
      reads.push({ file: seg, position: filePos[seg], length: records.length })
      filePos[seg] += records.length
    }
    bytes += records.length
    off = nextOffset(records)
  }
  return bytes
}

async function readPlain(fds: number[], reads: Read[]): Promise<number> {
  let bytes = 0
  for (const r of reads) {
    const buf = Buffer.allocUnsafe(r.length)
    const n = await new Promise<number>((res, rej) => fs.read(fds[r.file], buf, 0, r.length, r.position, (e, k) => (e ? rej(e) : res(k))))
    if (n !== r.length) throw new Error(`short read in the baseline: ${n} of ${r.length}`)
    bytes += n
  }
  return bytes
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-'))
  try {
    const m = await LogManager.open({ dataDir: dir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
    await m.createTopic('read', 1, { 'flush.messages': '1000000', 'segment.bytes': String(128 << 20) })
    const log = m.partition('read', 0)!
    const pool = Array.from({ length: 8 }, (_, s) => makeBatch(s))
    const batches = Math.floor((TOTAL_MB << 20) / pool[0].length)
    let issued = 0
    await Promise.all(pool.map(async (b) => { while (issued++ < batches) await log.append(b) }))
    await log.flush()
    const fds = log.segments.map((s) => fs.openSync(s.logPath, 'r'))
    const reads: Read[] = []
    const total = await readLog(log, reads) // also warms the page cache and the JIT
    await readPlain(fds, reads)
    console.log(`storage read: ${(total / 1048576).toFixed(0)} MiB in ${fds.length} segments, 1 KiB records in 64 KiB batches, ${reads.length} fetches of up to ${FETCH >> 20} MiB per round, ${ROUNDS} rounds alternating engine and plain file; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
    const engine: number[] = []
    const plain: number[] = []
    const ratio: number[] = []
    let engineMs = 0
    let plainMs = 0
    for (let r = 0; r < ROUNDS; r++) {
      const timed = async (fn: () => Promise<number>): Promise<number> => {
        const t0 = performance.now()
        if ((await fn()) !== total) throw new Error('a round read a different number of bytes')
        return performance.now() - t0
      }
      let e: number
      let p: number
      if (r % 2 === 0) { e = await timed(() => readLog(log)); p = await timed(() => readPlain(fds, reads)) }
      else { p = await timed(() => readPlain(fds, reads)); e = await timed(() => readLog(log)) }
      engine.push(mbps(total, e))
      plain.push(mbps(total, p))
      ratio.push(p / e)
      engineMs += e
      plainMs += p
    }
    const sorted = [...ratio].sort((a, b) => a - b)
    const q = (x: number): number => sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))]
    console.log('| case | storage engine MB/s (median) | plain file MB/s (median) | ratio (median of rounds) | ratio p25-p75 | ratio of total times |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
    console.log(`| read, 1 MiB fetches | ${median(engine).toFixed(1)} | ${median(plain).toFixed(1)} | ${median(ratio).toFixed(2)} | ${q(0.25).toFixed(2)}-${q(0.75).toFixed(2)} | ${(plainMs / engineMs).toFixed(2)} |`)
    for (const fd of fds) fs.closeSync(fd)
    await m.close()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main()
