import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { LogManager } from '../../../core/log'
import { setBaseOffset, batchSpans, readBatchHeader } from '../../../core/protocol/records/batch-header'
import { makeTempDir } from '../../helpers/temp-dir'
import { waitFor } from '../../helpers/wait-for'
import { crashBatch } from './crash-writer'

describe('core/log crash safety (kill -9 while appending)', () => {
  it('every acknowledged append survives with identical bytes; a torn tail is never served', async function () {
    this.timeout(60_000)
    const tmp = makeTempDir()
    try {
      const child = spawn(process.execPath, [path.join(__dirname, 'crash-writer.js'), tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] })
      const acks = new Map<number, number>() // i -> baseOffset
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const lines = out.split('\n')
        out = lines.pop()!
        for (const l of lines) {
          const m = /^ack (\d+) (\d+)$/.exec(l)
          if (m !== null) acks.set(Number(m[1]), Number(m[2]))
        }
      })
      const exited = new Promise((r) => child.on('exit', r))
      await waitFor('600 acknowledged appends', () => acks.size >= 600, { timeoutMs: 30_000 })
      child.kill('SIGKILL')
      await exited
      // A power cut mid-write: half of a further batch lands at the end of the active segment.
      const dir = path.join(tmp.dir, 'crash-0')
      const active = fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort().pop()!
      const torn = crashBatch(999_999)
      setBaseOffset(torn, 0, 10_000_000)
      fs.appendFileSync(path.join(dir, active), torn.subarray(0, Math.floor(torn.length / 2)))

      const m = await LogManager.open({ dataDir: tmp.dir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
      try {
        const log = m.partition('crash', 0)!
        assert.ok(log.segments.length > 1, 'the writer rolled segments')
        const maxAcked = Math.max(...[...acks.entries()].map(([i, base]) => base + crashBatch(i).readInt32BE(23)))
        assert.ok(log.highWatermark > maxAcked, `hw ${log.highWatermark} <= last acknowledged offset ${maxAcked}`)
        for (const [i, base] of acks) {
          const want = crashBatch(i)
          setBaseOffset(want, 0, base)
          const got = (await log.read(base, 1)).records
          assert.deepEqual(got.subarray(0, batchSpans(got)[0].size), want, `append ${i} at offset ${base}`)
        }
        // Nothing of the torn batch is served: the last served batch ends exactly at the high watermark.
        const lastSeg = log.active
        assert.equal(fs.statSync(lastSeg.logPath).size, lastSeg.size)
        const tail = (await log.read(log.highWatermark - 1, 1 << 20)).records
        const spans = batchSpans(tail)
        const last = readBatchHeader(tail, spans[spans.length - 1].position)
        assert.equal(last.baseOffset + last.lastOffsetDelta + 1, log.highWatermark)
        assert.equal(spans[spans.length - 1].position + spans[spans.length - 1].size, tail.length)
        assert.equal((await log.append(crashBatch(5))).baseOffset, log.highWatermark - 2)
      } finally { await m.close() }
    } finally { tmp.cleanup() }
  })
})
