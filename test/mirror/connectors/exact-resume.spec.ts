// exact-resume's decision against in-memory source and target logs: the next upstream offset after
// a crash is past exactly the records the target already holds, and only when they are proven
// copies; every other case resumes at-least-once from the committed offset + 1 with a reason.
import assert from 'node:assert/strict'
import type { IHeaders, KafkaMessage } from 'kafkajs'
import pino from 'pino'
import { committedOffset, resumeOffsets, skippedSyncs, type Resume, type ResumeIo, type ResumePartition, type Side } from '../../../mirror/connectors/exact-resume'
import { toMirrorBatch, toRawMirrorBatch, type BatchContext } from '../../../mirror/connectors/mirror-batch'
import { encodeBatch, type WireRecord } from '../../../mirror/wire/record-codec'
import { OffsetSyncEmitter, OffsetTranslator } from '../../../mirror/offsets'
import { PROVENANCE_HEADER } from '../../../mirror/policy'

/* eslint-disable @typescript-eslint/no-require-imports */
const Decoder = require('kafkajs/src/protocol/decoder')
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')

const DEFAULT: BatchContext = { source: 'A', target: 'B', remoteTopic: (t) => `A.${t}`, compression: {}, identity: false }
const IDENTITY: BatchContext = { ...DEFAULT, remoteTopic: (t) => t, identity: true }

interface Log { low: number; high: number; records: KafkaMessage[] }

function msg(offset: number, value: string, headers: IHeaders = {}, key: string | null = null): KafkaMessage {
  return { offset: String(offset), key: key === null ? null : Buffer.from(key), value: Buffer.from(value), timestamp: String(1700000000000 + offset), attributes: 0, size: 0, headers } as unknown as KafkaMessage
}

/** A source log: `values` at `offsets` (gaps where compaction removed records). */
function sourceLog(offsets: number[], value = (o: number): string => `v${o}`): Log {
  return { low: offsets[0] ?? 0, high: (offsets[offsets.length - 1] ?? -1) + 1, records: offsets.map((o) => msg(o, value(o), { h: Buffer.from(`x${o}`) }, `k${o}`)) }
}

/** What the mirror writes for `src`'s records from upstream offset `from` (exclusive `to`), at downstream `at`. */
function copies(ctx: BatchContext, src: Log, from: number, to: number, at: number): KafkaMessage[] {
  const b = toMirrorBatch(ctx, { topic: 't', partition: 0, messages: src.records.filter((m) => Number(m.offset) >= from && Number(m.offset) < to), bytes: 0 })
  if (b === undefined) return []
  return b.messages.map((m, i) => {
    const headers: IHeaders = {}
    for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = Buffer.isBuffer(v) ? v : Buffer.from(String(v))
    return { offset: String(at + i), key: m.key as Buffer | null, value: m.value as Buffer | null, timestamp: String(m.timestamp), attributes: 0, size: 0, headers } as unknown as KafkaMessage
  })
}

function targetLog(records: KafkaMessage[], low = 0): Log {
  return { low, high: records.length === 0 ? low : Number(records[records.length - 1].offset) + 1, records }
}

/** Each partition's log per side; `reads` counts read() calls; `fail` makes every call throw. */
function memoryIo(logs: Record<Side, Record<string, Log>>, opts: { fail?: boolean } = {}): ResumeIo & { reads: number } {
  const io = {
    reads: 0,
    async watermarks(side: Side, topics: string[]) {
      if (opts.fail === true) throw new Error('broker unreachable')
      return new Map(topics.map((topic) => {
        const marks = new Map<number, { low: number; high: number }>()
        for (const p of [0, 1]) {
          const log = logs[side][`${topic}-${p}`]
          if (log !== undefined) marks.set(p, { low: log.low, high: log.high })
        }
        return [topic, marks]
      }))
    },
    async read(side: Side, starts: Array<{ topic: string; partition: number; from: number }>, visit: (t: string, p: number, m: KafkaMessage[]) => boolean) {
      io.reads++
      for (const s of starts) {
        const recs = (logs[side][`${s.topic}-${s.partition}`]?.records ?? []).filter((m) => Number(m.offset) >= s.from)
        // Batches of two, as a fetch hands them out; a log that runs dry just ends (the idle case).
        for (let i = 0; i < recs.length; i += 2) if (visit(s.topic, s.partition, recs.slice(i, i + 2))) break
      }
    },
  }
  return io
}

function capture(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  return { log: pino({ level: 'info' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>) } }), lines }
}

async function resumeOne(ctx: BatchContext, src: Log, dst: Log, committed: ResumePartition['committed']): Promise<{ r: Resume; lines: Array<Record<string, unknown>>; reads: number }> {
  const io = memoryIo({ source: { 't-0': src }, target: { [`${ctx.remoteTopic('t')}-0`]: dst } })
  const { log, lines } = capture()
  const out = await resumeOffsets({ io, context: ctx, log, partitions: [{ topic: 't', partition: 0, remoteTopic: ctx.remoteTopic('t'), committed }] })
  return { r: out.get('t\u00000')!, lines, reads: io.reads }
}

const warnings = (lines: Array<Record<string, unknown>>): string[] => lines.filter((l) => l.level === 40).map((l) => String(l.msg))

describe('mirror/connectors/exact-resume', () => {
  const src = sourceLog(Array.from({ length: 100 }, (_, i) => i))

  it('starts from the earliest when nothing is committed and the target is empty, reading nothing', async () => {
    const { r, reads } = await resumeOne(DEFAULT, src, targetLog([]), undefined)
    assert.deepEqual(r, { next: undefined, exact: true, skipped: [], firstDownstream: -1 })
    assert.equal(reads, 0)
  })

  it('with nothing committed (a crash before the first flush), skips the copies the target already has', async () => {
    const { r } = await resumeOne(DEFAULT, src, targetLog(copies(DEFAULT, src, 0, 30, 0)), undefined)
    assert.deepEqual([r.next, r.exact, r.skipped.length, r.firstDownstream], [30, true, 30, 0])
    // The source's own start counts: retention moved it past the target's first copy.
    const trimmed: Log = { ...src, low: 5, records: src.records.slice(5) }
    const after = await resumeOne(DEFAULT, trimmed, targetLog(copies(DEFAULT, src, 0, 30, 0)), undefined)
    assert.deepEqual([after.r.next, after.r.exact], [undefined, false])
    assert.match(warnings(after.lines)[0], /downstream offset 0 is not a copy of source offset 5/)
    // Under the identity policy the remote topic is shared with local producers: nothing is read.
    const identity = await resumeOne(IDENTITY, src, targetLog(copies(IDENTITY, src, 0, 30, 0)), undefined)
    assert.deepEqual([identity.r.next, identity.r.exact, identity.reads], [undefined, false, 0])
  })

  it('skips the records acknowledged after the commit: next = the offset after the k-th one', async () => {
    // Committed upstream 39 at downstream 39; 10 more records reached the target before the crash.
    const { r, lines } = await resumeOne(DEFAULT, src, targetLog(copies(DEFAULT, src, 0, 50, 0)), { offset: 39, downstream: 39 })
    assert.equal(r.next, 50)
    assert.equal(r.exact, true)
    assert.deepEqual(r.skipped, Array.from({ length: 10 }, (_, i) => 40 + i))
    assert.equal(r.firstDownstream, 40)
    assert.deepEqual(warnings(lines), [])
  })

  it('counts records, not offsets, across compaction gaps in the source', async () => {
    const gappy = sourceLog([0, 1, 2, 5, 6, 9, 10, 11, 20, 21, 22])
    // Upstream 2 went to downstream 2; 5, 6, 9 followed (downstream 3, 4, 5).
    const { r } = await resumeOne(DEFAULT, gappy, targetLog(copies(DEFAULT, gappy, 0, 10, 0)), { offset: 2, downstream: 2 })
    assert.equal(r.next, 10)
    assert.deepEqual(r.skipped, [5, 6, 9])
  })

  it('resumes at committed + 1 without reading when the target ends at the committed record', async () => {
    const { r, reads } = await resumeOne(DEFAULT, src, targetLog(copies(DEFAULT, src, 0, 40, 0)), { offset: 39, downstream: 39 })
    assert.deepEqual([r.next, r.exact, r.skipped, reads], [40, true, [], 0])
  })

  it('counts only what the identity policy replicates and compares with its provenance header', async () => {
    // Records 10..14 came from B (they would loop back): the task does not replicate them.
    const mixed = sourceLog(Array.from({ length: 30 }, (_, i) => i))
    for (const m of mixed.records.slice(10, 15)) m.headers = { ...m.headers, [PROVENANCE_HEADER]: Buffer.from('B,A') }
    const dst = targetLog(copies(IDENTITY, mixed, 0, 20, 0))
    assert.equal(dst.high, 15)
    // Upstream 7 went to downstream 7; 8, 9, 15, 16, 17, 18, 19 followed.
    const { r } = await resumeOne(IDENTITY, mixed, dst, { offset: 7, downstream: 7 })
    assert.equal(r.next, 20)
    assert.deepEqual(r.skipped, [8, 9, 15, 16, 17, 18, 19])
  })

  it('under identity, proves the raw path\'s copies (re-encoded, null header values kept) as copies', async () => {
    // The source as one batch of ours (kafkajs cannot write a null header value); 10..14 came from B.
    const records: WireRecord[] = Array.from({ length: 30 }, (_, i) => ({
      offset: i, timestamp: 1700000000000 + i, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`),
      headers: [['2', Buffer.from('x')], ['n', null], ['1', Buffer.from('y')], ...(i >= 10 && i < 15 ? [[PROVENANCE_HEADER, Buffer.from('B,A')] as [string, Buffer]] : [])],
    }))
    const batch = await encodeBatch(2, records)
    const decode = async (b: Buffer): Promise<KafkaMessage[]> => (await decodeBatch(new Decoder(b))).records
    const srcLog: Log = { low: 0, high: 30, records: await decode(batch) }
    const raw = (await toRawMirrorBatch(IDENTITY, { topic: 't', partition: 0, batches: [batch], fromOffset: 0 }))!
    const copied = (await Promise.all(raw.batches.map(decode))).flat()
    assert.equal(copied.length, 25)
    assert.equal((copied[0].headers as Record<string, unknown>).n, null) // the null went through as null
    // Upstream 7 went to downstream 7; 8, 9, 15..29 followed (downstream 8..24).
    const { r } = await resumeOne(IDENTITY, srcLog, targetLog(copied), { offset: 7, downstream: 7 })
    assert.deepEqual([r.next, r.exact], [30, true])
    assert.deepEqual(r.skipped, [8, 9, ...Array.from({ length: 15 }, (_, i) => 15 + i)])
  })

  it('falls back when a foreign record is the last on the target', async () => {
    const recs = [...copies(DEFAULT, src, 0, 50, 0), msg(50, 'foreign')]
    const { r, lines } = await resumeOne(DEFAULT, src, targetLog(recs), { offset: 39, downstream: 39 })
    assert.deepEqual([r.next, r.exact, r.skipped], [40, false, []])
    assert.match(warnings(lines)[0], /exact resume not possible, resuming at-least-once: 11 records on A\.t-0 from downstream offset 40 should copy the next 11 source records from offset 40, but downstream offset 50 is not a copy of source offset 50/)
  })

  it('falls back when a foreign record sits between copies (the last one still matching)', async () => {
    const good = copies(DEFAULT, src, 0, 50, 0)
    // A foreign record at downstream 45; the mirror's copies of 45..49 moved one further.
    const recs = [...good.slice(0, 45), msg(45, 'foreign'), ...copies(DEFAULT, src, 45, 50, 46)]
    const { r } = await resumeOne(DEFAULT, src, targetLog(recs), { offset: 39, downstream: 39 })
    assert.deepEqual([r.next, r.exact], [40, false])
    assert.match(r.reason!, /downstream offset 45 is not a copy of source offset 45/)
  })

  it('falls back when a copy differs in a header or the timestamp', async () => {
    for (const change of [(m: KafkaMessage) => { m.headers = { h: Buffer.from('other') } }, (m: KafkaMessage) => { m.timestamp = '1' }]) {
      const recs = copies(DEFAULT, src, 0, 50, 0)
      change(recs[44])
      const { r } = await resumeOne(DEFAULT, src, targetLog(recs), { offset: 39, downstream: 39 })
      assert.deepEqual([r.next, r.exact], [40, false])
    }
  })

  it('falls back when the target lost data (ends before the committed downstream offset)', async () => {
    const { r, lines } = await resumeOne(DEFAULT, src, targetLog(copies(DEFAULT, src, 0, 20, 0)), { offset: 39, downstream: 39 })
    assert.deepEqual([r.next, r.exact], [40, false])
    assert.match(warnings(lines)[0], /A\.t-0 ends at 20, before the committed downstream offset 39/)
  })

  it('falls back when the source has fewer records after the commit than the target shows', async () => {
    const short = sourceLog(Array.from({ length: 45 }, (_, i) => i))
    const { r, lines } = await resumeOne(DEFAULT, short, targetLog(copies(DEFAULT, src, 0, 50, 0)), { offset: 39, downstream: 39 })
    assert.deepEqual([r.next, r.exact], [40, false])
    assert.match(warnings(lines)[0], /only 5 replicable source records from offset 40/)
  })

  it('falls back when retention deleted source records after the committed offset', async () => {
    const trimmed: Log = { ...src, low: 42, records: src.records.slice(42) }
    const { r, lines } = await resumeOne(DEFAULT, trimmed, targetLog(copies(DEFAULT, src, 0, 50, 0)), { offset: 39, downstream: 39 })
    assert.deepEqual([r.next, r.exact], [40, false])
    assert.match(warnings(lines)[0], /t-0 starts at 42/)
  })

  it('falls back when the target records after the commit are deleted, or the stored offset has no downstream', async () => {
    const dst = targetLog(copies(DEFAULT, src, 0, 50, 0).slice(45), 45)
    assert.deepEqual((await resumeOne(DEFAULT, src, dst, { offset: 39, downstream: 39 })).r.next, 40)
    const { r, lines } = await resumeOne(DEFAULT, src, targetLog(copies(DEFAULT, src, 0, 50, 0)), { offset: 39 })
    assert.deepEqual([r.next, r.exact], [40, false])
    assert.match(r.reason!, /no downstream offset/)
    assert.deepEqual(warnings(lines), [], 'an older offset value is logged at info, not as an anomaly')
  })

  it('falls back when more records than maxVerify would have to be verified', async () => {
    const { log, lines } = capture()
    const io = memoryIo({ source: { 't-0': src }, target: { 'A.t-0': targetLog(copies(DEFAULT, src, 0, 50, 0)) } })
    const out = await resumeOffsets({ io, context: DEFAULT, log, maxVerify: 9, partitions: [{ topic: 't', partition: 0, remoteTopic: 'A.t', committed: { offset: 39, downstream: 39 } }] })
    assert.deepEqual([out.get('t\u00000')!.next, io.reads], [40, 0])
    assert.match(warnings(lines)[0], /10 records on A\.t-0 from downstream offset 40: more than the 9 a start verifies/)
  })

  it('falls back for every partition when the clusters cannot be read', async () => {
    const { log, lines } = capture()
    const out = await resumeOffsets({
      io: memoryIo({ source: {}, target: {} }, { fail: true }), context: DEFAULT, log,
      partitions: [{ topic: 't', partition: 0, remoteTopic: 'A.t', committed: { offset: 9, downstream: 9 } }, { topic: 't', partition: 1, remoteTopic: 'A.t', committed: { offset: 3, downstream: 5 } }],
    })
    assert.deepEqual([...out.values()].map((r) => [r.next, r.exact]), [[10, false], [4, false]])
    assert.match(warnings(lines)[0], /reading the clusters failed/)
  })

  it('decides per partition', async () => {
    const io = memoryIo({
      source: { 't-0': src, 't-1': src },
      target: { 'A.t-0': targetLog(copies(DEFAULT, src, 0, 50, 0)), 'A.t-1': targetLog([...copies(DEFAULT, src, 0, 50, 0), msg(50, 'foreign')]) },
    })
    const { log } = capture()
    const out = await resumeOffsets({ io, context: DEFAULT, log, partitions: [0, 1].map((partition) => ({ topic: 't', partition, remoteTopic: 'A.t', committed: { offset: 39, downstream: 39 } })) })
    assert.deepEqual([...out.entries()].map(([k, r]) => [k, r.next, r.exact]), [['t\u00000', 50, true], ['t\u00001', 40, false]])
    assert.match(out.get('t\u00001')!.reason!, /downstream offset 50 is not a copy of source offset 50/)
  })

  it('feeds the skipped pairs to the offset-sync emitter so translation stays exact across the skip', async () => {
    // The crashed run emitted a sync for upstream 0 only; records 1..5 followed at downstream 101..105,
    // then a compaction gap upstream (8 at downstream 106), all skipped on restart.
    const emitter = new OffsetSyncEmitter(100)
    const translator = new OffsetTranslator()
    translator.add({ topic: 't', partition: 0, upstreamOffset: 0, downstreamOffset: 100 })
    const resumes = new Map<string, Resume>([['t\u00000', { next: 9, exact: true, skipped: [1, 2, 3, 4, 5, 8], firstDownstream: 101 }]])
    for (const s of [...skippedSyncs(resumes, emitter), ...emitter.record('t', 0, 9, 107), ...emitter.flushTail()]) translator.add(s)
    assert.deepEqual([0, 3, 5, 6, 8, 9, 10].map((u) => translator.translate('t', 0, u)), [100, 103, 105, 106, 106, 107, 108])
  })

  it('reads stored offset values', () => {
    assert.deepEqual(committedOffset({ offset: 5, downstream: 7 }), { offset: 5, downstream: 7 })
    assert.deepEqual(committedOffset({ offset: 5 }), { offset: 5 })
    assert.equal(committedOffset(null), undefined)
    assert.equal(committedOffset({ offset: 'x' }), undefined)
  })
})
