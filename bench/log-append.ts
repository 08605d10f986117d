// Append throughput of the storage engine under the default durable flush policy (every append
// fsynced before it resolves), 1 KiB records in 64 KiB batches, against a plain sequential file
// write of the same bytes with the same fsync cadence, in the same run.
//   npx tsc -p . ; node dist/bench/log-append.js      (BENCH_MB=256 to change the volume)
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LogManager } from '../core/log'
import { encodeBatch } from '../core/protocol/records/record-codec'

const TOTAL_MB = Number(process.env.BENCH_MB ?? 128)
const RECORD = 1024
const PER_BATCH = 64

function makeBatch(seed: number): Buffer {
  return encodeBatch({ records: Array.from({ length: PER_BATCH }, (_, i) => ({ key: `key-${i}`, value: Buffer.alloc(RECORD, (seed + i) & 0xff), timestamp: Date.now() })) })
}

const mbps = (bytes: number, ms: number): number => bytes / 1048576 / (ms / 1000)

function write(fd: number, buf: Buffer, pos: number): Promise<void> {
  return new Promise((res, rej) => fs.write(fd, buf, 0, buf.length, pos, (e) => (e ? rej(e) : res())))
}
function fdatasync(fd: number): Promise<void> {
  return new Promise((res, rej) => fs.fdatasync(fd, (e) => (e ? rej(e) : res())))
}

/** Plain file: `writesPerSync` batches written, then one fdatasync, until `batches` are written. */
async function plainFile(dir: string, batch: Buffer, batches: number, writesPerSync: number): Promise<number> {
  const file = path.join(dir, `plain-${writesPerSync}.bin`)
  const fd = fs.openSync(file, 'w')
  const t0 = performance.now()
  let pos = 0
  for (let i = 0; i < batches;) {
    const n = Math.min(writesPerSync, batches - i)
    const group = n === 1 ? batch : Buffer.concat(Array.from({ length: n }, () => batch))
    await write(fd, group, pos)
    pos += group.length
    await fdatasync(fd)
    i += n
  }
  const ms = performance.now() - t0
  fs.closeSync(fd)
  fs.rmSync(file)
  return ms
}

async function logAppend(dir: string, batches: number, inFlight: number): Promise<{ ms: number; fsyncs: number }> {
  const dataDir = fs.mkdtempSync(path.join(dir, 'log-'))
  const m = await LogManager.open({ dataDir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
  await m.createTopic('bench', 1)
  const log = m.partition('bench', 0)!
  const pool = Array.from({ length: inFlight }, (_, i) => makeBatch(i)) // one buffer per writer: appends rewrite it in place
  let issued = 0
  const before = log.stats.fsyncs
  const t0 = performance.now()
  await Promise.all(pool.map(async (buf) => { while (issued++ < batches) await log.append(buf) }))
  const ms = performance.now() - t0
  const fsyncs = log.stats.fsyncs - before
  await m.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
  return { ms, fsyncs }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-'))
  try {
    const batch = makeBatch(0)
    const batches = Math.floor((TOTAL_MB * 1048576) / batch.length)
    const bytes = batches * batch.length
    console.log(`storage append: ${batches} batches of ${PER_BATCH} x ${RECORD} B records (${batch.length} B each), ${(bytes / 1048576).toFixed(0)} MiB per run, default flush policy (fsync before ack)`)
    console.log('| case | storage engine MB/s | plain file MB/s | ratio (totals) | ratio (median round) | fsyncs |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
    // Rounds alternate engine and plain file so disk noise hits both alike.
    const rounds = 8
    const perRound = Math.floor(batches / rounds)
    for (const inFlight of [1, 8]) {
      let logMs = 0
      let plainMs = 0
      let fsyncs = 0
      let plainSyncs = 0
      const ratios: number[] = []
      for (let r = 0; r < rounds; r++) {
        const log = await logAppend(dir, perRound, inFlight)
        // Same fsync cadence as the log used: the same number of write+fdatasync rounds.
        const perSync = Math.max(1, Math.round(perRound / Math.max(1, log.fsyncs)))
        const pm = await plainFile(dir, batch, perRound, perSync)
        if (process.env.BENCH_VERBOSE !== undefined) console.log(`round ${r}: engine ${log.ms.toFixed(0)} ms, plain ${pm.toFixed(0)} ms`)
        plainMs += pm
        ratios.push(pm / log.ms)
        logMs += log.ms
        fsyncs += log.fsyncs
        plainSyncs += Math.ceil(perRound / perSync)
      }
      const total = perRound * rounds * batch.length
      const a = mbps(total, logMs)
      const b = mbps(total, plainMs)
      const median = ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)]
      console.log(`| ${inFlight} append${inFlight > 1 ? 's' : ''} in flight | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)} | ${median.toFixed(2)} | ${fsyncs} (plain: ${plainSyncs}) |`)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main()
