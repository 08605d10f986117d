// Sequential read throughput of the storage engine (PartitionLog.read in 1 MiB fetches from
// offset 0 to the high watermark) against a plain sequential read of the same segment files in
// 1 MiB chunks, in the same run, both from the page cache (each is run once to warm it first).
//   npx tsc -p . ; node dist/bench/log-read.js      (BENCH_MB=512 to change the volume)
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LogManager, type PartitionLog } from '../core/log'
import { batchSpans, readBatchHeader } from '../core/protocol/records/batch-header'
import { encodeBatch } from '../core/protocol/records/record-codec'

const TOTAL_MB = Number(process.env.BENCH_MB ?? 256)
const FETCH = 1 << 20

async function readLog(log: PartitionLog): Promise<number> {
  let off = 0
  let bytes = 0
  while (off < log.highWatermark) {
    const { records } = await log.read(off, FETCH)
    bytes += records.length
    const spans = batchSpans(records)
    const last = readBatchHeader(records, spans[spans.length - 1].position)
    off = last.baseOffset + last.lastOffsetDelta + 1
  }
  return bytes
}

async function readPlain(files: string[]): Promise<number> {
  let bytes = 0
  for (const f of files) {
    const fd = fs.openSync(f, 'r')
    try {
      for (let pos = 0; ;) {
        const buf = Buffer.allocUnsafe(FETCH)
        const bytesRead = await new Promise<number>((res, rej) => fs.read(fd, buf, 0, FETCH, pos, (e, n) => (e ? rej(e) : res(n))))
        if (bytesRead === 0) break
        pos += bytesRead
        bytes += bytesRead
      }
    } finally { fs.closeSync(fd) }
  }
  return bytes
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-'))
  try {
    const m = await LogManager.open({ dataDir: dir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
    await m.createTopic('read', 1, { 'flush.messages': '1000000', 'segment.bytes': String(128 << 20) })
    const log = m.partition('read', 0)!
    const batches = Math.floor((TOTAL_MB << 20) / 66547)
    const pool = Array.from({ length: 8 }, (_, s) => encodeBatch({ records: Array.from({ length: 64 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(1024, s + i), timestamp: Date.now() })) }))
    let issued = 0
    await Promise.all(pool.map(async (b) => { while (issued++ < batches) await log.append(b) }))
    await log.flush()
    const files = log.segments.map((s) => s.logPath)
    console.log(`storage read: ${(log.size / 1048576).toFixed(0)} MiB in ${files.length} segments, 1 KiB records in 64 KiB batches, ${FETCH >> 20} MiB per read`)
    console.log('| what | MB/s | ratio |')
    console.log('| --- | ---: | ---: |')
    await readLog(log)
    await readPlain(files)
    let logMs = 0
    let plainMs = 0
    let bytes = 0
    for (let r = 0; r < 10; r++) { // alternate, so noise hits both alike
      let t = performance.now()
      bytes += await readLog(log)
      logMs += performance.now() - t
      t = performance.now()
      await readPlain(files)
      plainMs += performance.now() - t
    }
    const a = bytes / 1048576 / (logMs / 1000)
    const b = bytes / 1048576 / (plainMs / 1000)
    console.log(`| baseline: plain file read, same files | ${b.toFixed(1)} | 1 |`)
    console.log(`| PartitionLog.read | ${a.toFixed(1)} | ${(a / b).toFixed(2)} |`)
    await m.close()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main()
