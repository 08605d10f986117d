// Append throughput of the storage engine under the default durable flush policy (every append
// fsynced before it resolves; concurrent appends share one fsync), 1 KiB records in 64 KiB
// batches, against a plain sequential file write of the same bytes in the same run.
//
// Fairness: the engine's file calls are recorded (each writev's buffer sizes, each fdatasync)
// and the baseline replays them on its own file: the same buffers between the same fdatasyncs,
// each interval's buffers in one writev (the fewest calls for that cadence). Engine and
// baseline alternate in short rounds (order flipped every round) so machine load hits both
// alike; the figures are medians over rounds.
//   npx tsc -p . ; node dist/bench/log-append.js      (ROUNDS=120, ROUND_MB=2 by default)
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LogManager, type PartitionLog } from '../core/log'
import { installRecorder, makeBatch, mbps, median, record, replay, type FileOp } from './log-common'

const ROUNDS = Number(process.env.ROUNDS ?? 120)
const ROUND_MB = Number(process.env.ROUND_MB ?? 2)

async function appendRound(log: PartitionLog, pool: Buffer[], batches: number): Promise<number> {
  let issued = 0
  const t0 = performance.now()
  await Promise.all(pool.map(async (buf) => { while (issued++ < batches) await log.append(buf) }))
  return performance.now() - t0
}

interface CaseResult { engine: number[]; plain: number[]; ratio: number[]; engineMs: number[]; plainMs: number[]; fsyncs: number; plainFsyncs: number; writes: number; plainWrites: number }

async function runCase(dir: string, inFlight: number, batches: number): Promise<CaseResult> {
  const m = await LogManager.open({ dataDir: path.join(dir, `log-${inFlight}`), retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
  await m.createTopic('bench', 1)
  const log = m.partition('bench', 0)!
  const pool = Array.from({ length: inFlight }, (_, i) => makeBatch(i)) // one buffer per writer: an append rewrites its baseOffset
  const plainFile = path.join(dir, `plain-${inFlight}.bin`)
  const fd = fs.openSync(plainFile, 'w')
  let plainPos = 0
  const out: CaseResult = { engine: [], plain: [], ratio: [], engineMs: [], plainMs: [], fsyncs: 0, plainFsyncs: 0, writes: 0, plainWrites: 0 }
  const bytes = batches * pool[0].length
  let ops: FileOp[] = []
  const plainRound = async (): Promise<number> => {
    const t0 = performance.now()
    const r = await replay(fd, ops, pool[0], plainPos)
    const ms = performance.now() - t0
    plainPos = r.pos
    out.plainFsyncs += r.syncs
    out.plainWrites += r.writes
    return ms
  }
  try {
    await appendRound(log, pool, batches) // warm-up (JIT, file growth), not counted
    ops = (await record(() => appendRound(log, pool, batches))).ops
    for (let r = 0; r < ROUNDS; r++) {
      let engineMs: number
      let plainMs: number
      const before = log.stats
      if (r % 2 === 0) {
        const rec = await record(() => appendRound(log, pool, batches))
        engineMs = rec.result
        ops = rec.ops
        plainMs = await plainRound()
      } else {
        plainMs = await plainRound() // replays the previous round's calls: same bytes, same cadence
        engineMs = (await record(() => appendRound(log, pool, batches))).result
      }
      out.fsyncs += log.stats.fsyncs - before.fsyncs
      out.writes += log.stats.writes - before.writes
      out.engine.push(mbps(bytes, engineMs))
      out.plain.push(mbps(bytes, plainMs))
      out.ratio.push(plainMs / engineMs)
      out.engineMs.push(engineMs)
      out.plainMs.push(plainMs)
      if (process.env.BENCH_VERBOSE !== undefined) console.log(`  round ${r}: engine ${engineMs.toFixed(1)} ms, plain ${plainMs.toFixed(1)} ms`)
    }
  } finally {
    fs.closeSync(fd)
    fs.rmSync(plainFile, { force: true })
    await m.close()
  }
  return out
}

async function main(): Promise<void> {
  installRecorder()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-'))
  try {
    const size = makeBatch(0).length
    const batches = Math.max(8, Math.round((ROUND_MB * 1048576) / size))
    console.log(`storage append: ${size} B batches (64 x 1 KiB records), ${batches} batches (${(batches * size / 1048576).toFixed(1)} MiB) per round, ${ROUNDS} rounds alternating engine and plain file; default flush policy (fsync before ack); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
    console.log('| case | storage engine MB/s (median) | plain file MB/s (median) | ratio (median of rounds) | ratio p25-p75 | ratio of total times | fsyncs engine / plain | writes engine / plain |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const inFlight of [1, 8]) {
      const r = await runCase(dir, inFlight, batches)
      const sorted = [...r.ratio].sort((a, b) => a - b)
      const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
      const totals = r.engineMs.reduce((a, b) => a + b, 0) > 0 ? r.plainMs.reduce((a, b) => a + b, 0) / r.engineMs.reduce((a, b) => a + b, 0) : 0
      console.log(`| ${inFlight} append${inFlight > 1 ? 's' : ''} in flight | ${median(r.engine).toFixed(1)} | ${median(r.plain).toFixed(1)} | ${median(r.ratio).toFixed(2)} | ${q(0.25).toFixed(2)}-${q(0.75).toFixed(2)} | ${totals.toFixed(2)} | ${r.fsyncs} / ${r.plainFsyncs} | ${r.writes} / ${r.plainWrites} |`)
    }
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main()
