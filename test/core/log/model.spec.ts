import assert from 'node:assert/strict'
import type { LogManager } from '../../../core/log'
import { Codec } from '../../../core/protocol/records/compression'
import { decodeBatches, encodeBatch } from '../../../core/protocol/records/record-codec'
import { makeTempDir } from '../../helpers/temp-dir'
import { abandon, FakeClock, openManager, readEverything } from './log-helpers'

/** A small deterministic PRNG so a failure replays exactly. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 }
}

describe('core/log (random operations against a model)', () => {
  for (const seed of (process.env.MODEL_SEEDS ?? "1,2,3").split(",").map(Number)) {
    it(`concurrent multi-batch appends, rolls, DeleteRecords, size retention, clean and unclean restarts agree with the model (seed ${seed})`, async function () {
      this.timeout(60_000)
      const rnd = prng(seed)
      const tmp = makeTempDir()
      const clock = new FakeClock()
      const model: { offset: number; value: string }[] = []
      let start = 0
      let m: LogManager = await openManager(tmp.dir, clock)
      try {
        await m.createTopic('model', 1, { 'segment.bytes': String(600 + Math.floor(rnd() * 2000)), 'index.interval.bytes': String(Math.floor(rnd() * 300)) })
        for (let step = 0; step < 150; step++) {
          const log = m.partition('model', 0)!
          const op = rnd()
          if (op < 0.6) {
            // One to four appends in flight at once (group commit), each of one to three batches.
            const inFlight = 1 + Math.floor(rnd() * 4)
            const sends: { buf: Buffer; values: string[] }[] = []
            for (let a = 0; a < inFlight; a++) {
              const parts: Buffer[] = []
              const values: string[] = []
              const nBatches = 1 + Math.floor(rnd() * 3)
              for (let b = 0; b < nBatches; b++) {
                const n = 1 + Math.floor(rnd() * 4)
                const vals = Array.from({ length: n }, (_, i) => `s${step}-a${a}-b${b}-r${i}-${'z'.repeat(Math.floor(rnd() * 80))}`)
                values.push(...vals)
                parts.push(encodeBatch({ compression: rnd() < 0.3 ? Codec.gzip : Codec.none, records: vals.map((v, i) => ({ key: `k${i}`, value: v, timestamp: clock.now() + step })) }))
              }
              sends.push({ buf: Buffer.concat(parts), values })
            }
            const results = await Promise.all(sends.map((x) => log.append(x.buf)))
            sends.forEach((x, a) => {
              assert.equal(results[a].baseOffset, model.length === 0 ? 0 : model[model.length - 1].offset + 1, 'offsets follow call order')
              x.values.forEach((value, i) => model.push({ offset: results[a].baseOffset + i, value }))
            })
          } else if (op < 0.7) {
            log.roll()
          } else if (op < 0.78 && model.length > 0) {
            const target = start + Math.floor(rnd() * (log.highWatermark - start + 1))
            start = Math.max(start, await log.deleteRecordsBefore(target))
          } else if (op < 0.81) {
            // Size retention: whole old segments go, never the active one; the start follows.
            await m.alterTopicConfig('model', { 'retention.bytes': String(Math.floor(rnd() * 3000)) })
            await log.flush()
            const hw = log.highWatermark
            const active = log.active
            m.runRetention()
            await m.alterTopicConfig('model', { 'retention.bytes': null })
            assert.ok(log.logStartOffset >= start)
            assert.equal(log.highWatermark, hw)
            assert.equal(log.active, active, 'the active segment is never deleted')
            start = log.logStartOffset
          } else if (op < 0.86) {
            await m.close()
            m = await openManager(tmp.dir, clock)
          } else if (op < 0.92) {
            await abandon(m)
            m = await openManager(tmp.dir, clock)
          } else if (model.length > 0) {
            const pick = model[Math.floor(rnd() * model.length)]
            if (pick.offset >= start) {
              const { records } = await log.read(pick.offset, 1 + Math.floor(rnd() * 3000))
              const rec = decodeBatches(records).flatMap((b) => b.records).find((x) => x.offset === pick.offset)
              assert.equal(rec?.value?.toString(), pick.value, `offset ${pick.offset}`)
            }
          }
          const cur = m.partition('model', 0)!
          assert.equal(cur.logStartOffset, start)
          assert.equal(cur.highWatermark, model.length === 0 ? 0 : model[model.length - 1].offset + 1)
        }
        const log = m.partition('model', 0)!
        const got = decodeBatches(await readEverything(log)).flatMap((b) => b.records).filter((r) => r.offset >= start)
        assert.deepEqual(got.map((r) => [r.offset, r.value!.toString()]), model.filter((x) => x.offset >= start).map((x) => [x.offset, x.value]))
      } finally {
        await m.close().catch(() => undefined)
        tmp.cleanup()
      }
    })
  }
})

describe('core/log compaction (random operations against a model)', () => {
  for (const seed of (process.env.MODEL_SEEDS ?? '1,2').split(',').map(Number)) {
    it(`the newest value of every key survives compaction, restarts and crashes (seed ${seed})`, async function () {
      this.timeout(60_000)
      const rnd = prng(seed * 7919)
      const tmp = makeTempDir()
      const clock = new FakeClock()
      const latest = new Map<string, { offset: number; value: string | null }>()
      let m: LogManager = await openManager(tmp.dir, clock)
      try {
        await m.createTopic('cm', 1, { 'cleanup.policy': 'compact', 'segment.bytes': String(400 + Math.floor(rnd() * 1500)) })
        for (let step = 0; step < 120; step++) {
          const log = m.partition('cm', 0)!
          const op = rnd()
          if (op < 0.6) {
            const n = 1 + Math.floor(rnd() * 5)
            const recs = Array.from({ length: n }, (_, i) => ({ key: `k${Math.floor(rnd() * 8)}`, value: rnd() < 0.15 ? null : `s${step}-${i}`, timestamp: clock.now() }))
            const codec = [Codec.none, Codec.gzip, Codec.snappy, Codec.lz4, Codec.zstd][Math.floor(rnd() * 5)]
            const r = await log.append(encodeBatch({ compression: codec, records: recs }))
            recs.forEach((x, i) => latest.set(x.key, { offset: r.baseOffset + i, value: x.value }))
          } else if (op < 0.72) {
            log.roll()
          } else if (op < 0.85) {
            await m.runCleaner({ force: true })
          } else if (op < 0.93) {
            await m.close()
            m = await openManager(tmp.dir, clock)
          } else {
            await abandon(m)
            m = await openManager(tmp.dir, clock)
          }
          const records = decodeBatches(await readEverything(m.partition('cm', 0)!)).flatMap((b) => b.records)
          for (let i = 1; i < records.length; i++) assert.ok(records[i].offset > records[i - 1].offset, 'offsets increase')
          const seen = new Map<string, { offset: number; value: string | null }>()
          for (const r of records) seen.set(r.key!.toString(), { offset: r.offset, value: r.value === null ? null : r.value.toString() })
          assert.deepEqual(new Map([...seen].sort()), new Map([...latest].sort()), `step ${step}`)
        }
      } finally {
        await m.close().catch(() => undefined)
        tmp.cleanup()
      }
    })
  }
})
