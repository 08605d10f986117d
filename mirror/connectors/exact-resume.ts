// Exact resume after a crash of the mirror. Source offsets are committed every
// offset.flush.interval.ms with the downstream offset of the last committed record,
// { offset: u0, downstream: d0 } (the dedicated runner and the Connect worker path both write it).
// Records the target acknowledged after that commit are on the target but would be sent again.
// Under a policy that gives each source partition its own remote partition, written one for one in
// source order, the target's end offset E says how many: k = E - (d0 + 1). The task then starts
// after the k-th replicated source record following u0, but only once the k target records after
// d0 are proven, record by record, to be copies of those k source records (key, value, headers,
// timestamp). With nothing committed (a crash before the first flush) the same holds from the
// start of both logs. Anything else (no d0, a target that lost data, foreign records, retention
// gaps, a read that stalls) resumes at-least-once from u0 + 1 with a warning saying why: a record
// that is not on the target is never skipped.
import { createHash, type Hash } from 'node:crypto'
import type { IHeaders, KafkaMessage, Message } from 'kafkajs'
import type { Logger } from '../../config'
import type { OffsetSync } from '../formats'
import type { OffsetSyncEmitter } from '../offsets'
import { toMirrorBatch, type BatchContext } from './mirror-batch'

/** A stored source offset as the mirror writes it; `downstream` is absent in older values. */
export interface CommittedOffset { offset: number; downstream?: number }

export interface ResumePartition {
  topic: string
  partition: number
  remoteTopic: string
  committed?: CommittedOffset
}

export interface Resume {
  /** Next upstream offset to read; undefined: read from the earliest (nothing committed, nothing on the target). */
  next: number | undefined
  /** True when the records already on the target are skipped (none sent twice). */
  exact: boolean
  /** Upstream offsets of the skipped records, in order; the i-th is at downstream firstDownstream + i. */
  skipped: number[]
  firstDownstream: number
  /** Why the resume is at-least-once (logged as a warning). */
  reason?: string
}

export type Side = 'source' | 'target'

export interface Watermarks { low: number; high: number }

export interface ReadStart { topic: string; partition: number; from: number }

/** The lookups the decision needs; kafkaResumeIo (exact-resume-io.ts) reads real clusters, tests use arrays. */
export interface ResumeIo {
  /** Per topic, low and high watermark per partition (an empty map for a topic that does not exist). */
  watermarks(side: Side, topics: string[]): Promise<Map<string, Map<number, Watermarks>>>
  /**
   * Reads each partition from `from` (records below it are not handed out), batch by batch in
   * offset order, until `visit` has returned true (done) for every partition or nothing new
   * arrived for `idleMs`.
   */
  read(side: Side, starts: ReadStart[], visit: (topic: string, partition: number, messages: KafkaMessage[]) => boolean, idleMs: number): Promise<void>
}

export interface ResumeOptions {
  io: ResumeIo
  partitions: ResumePartition[]
  /** The task's batch context: which records it replicates and how it rewrites them. */
  context: BatchContext
  log: Logger
  /** A verifying read gives up after this long without progress (default 15 s). */
  idleMs?: number
  /** At most this many records per partition are verified (and skipped); more resume at-least-once (default 1,000,000). */
  maxVerify?: number
}

/** Bounds a start's reading and the memory it holds (an offset and a 16-byte digest per record). */
const MAX_VERIFY = 1_000_000

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`

/** Per-record digests of one side not yet compared with the other side's (bounded by how far one read runs ahead). */
interface Digests { n: number; queue: string[]; head: number }

interface Check {
  p: ResumePartition
  u0: number
  d0: number
  end: number
  k: number
  /** Upstream offsets of the replicable source records read, in order. */
  offsets: number[]
  src: Digests
  dst: Digests & { last: number }
  /** Records found equal pairwise so far; `differs` is the index of the first pair that is not. */
  matched: number
  differs?: number
}

const newCheck = (p: ResumePartition, u0: number, d0: number, end: number): Check => ({
  p, u0, d0, end, k: end - d0 - 1, offsets: [], src: { n: 0, queue: [], head: 0 }, dst: { n: 0, queue: [], head: 0, last: -1 }, matched: 0,
})

/** Compares what both sides have read so far, pair by pair; a difference ends both reads. */
function settle(c: Check): void {
  const a = c.src
  const b = c.dst
  while (c.differs === undefined && a.head < a.queue.length && b.head < b.queue.length) {
    if (a.queue[a.head++] === b.queue[b.head++]) c.matched++
    else c.differs = c.matched
  }
  for (const d of [a, b]) if (d.head > 1024) { d.queue = d.queue.slice(d.head); d.head = 0 }
}

/** The next upstream offset per "topic\0partition" (see the file comment). Never throws for I/O: it falls back. */
export async function resumeOffsets(o: ResumeOptions): Promise<Map<string, Resume>> {
  const out = new Map<string, Resume>()
  const atLeastOnce = (p: ResumePartition, reason: string): void => {
    out.set(partitionKey(p.topic, p.partition), { next: p.committed === undefined ? undefined : p.committed.offset + 1, exact: false, skipped: [], firstDownstream: -1, reason })
  }
  const candidates: ResumePartition[] = []
  for (const p of o.partitions) {
    const c = p.committed
    // Nothing committed (a crash before the first flush) is checked too, from both logs' starts;
    // but not under the identity policy, whose remote topic usually holds local records too.
    if (c === undefined && o.context.identity) out.set(partitionKey(p.topic, p.partition), { next: undefined, exact: false, skipped: [], firstDownstream: -1 })
    else if (c !== undefined && typeof c.downstream !== 'number') atLeastOnce(p, 'the stored offset has no downstream offset (written by an older Godwit)')
    else candidates.push(p)
  }
  if (candidates.length === 0) return out
  let checks: Check[] = []
  try {
    checks = await plan(o, candidates, out, atLeastOnce)
    if (checks.length > 0) await verify(o, checks)
  } catch (err) {
    o.log.warn({ err }, 'exact resume: reading the clusters failed; resuming at-least-once')
    for (const p of candidates) if (!out.has(partitionKey(p.topic, p.partition))) atLeastOnce(p, `reading the clusters failed: ${(err as Error).message}`)
    checks = []
  }
  for (const c of checks) {
    const key = partitionKey(c.p.topic, c.p.partition)
    const where = `${c.k} records on ${c.p.remoteTopic}-${c.p.partition} from downstream offset ${c.d0 + 1}`
    if (c.differs !== undefined) {
      const i = c.differs
      atLeastOnce(c.p, `${where} should copy the next ${c.k} source records from offset ${c.u0 + 1}, but downstream offset ${c.d0 + 1 + i} is not a copy of source offset ${c.offsets[i]} (foreign records, another writer, or a truncated target)`)
    } else if (c.src.n < c.k) atLeastOnce(c.p, `${where}, but only ${c.src.n} replicable source records from offset ${c.u0 + 1} (source truncated, or foreign records on the target)`)
    else if (c.dst.n !== c.k) atLeastOnce(c.p, `${where} expected, ${c.dst.n} read (target compacted, truncated or unreadable)`)
    else out.set(key, { next: c.offsets[c.k - 1] + 1, exact: true, skipped: c.offsets, firstDownstream: c.d0 + 1 })
  }
  for (const p of o.partitions) {
    const r = out.get(partitionKey(p.topic, p.partition))!
    if (r.reason !== undefined && (p.committed === undefined || p.committed.downstream !== undefined)) o.log.warn({ topic: p.topic, partition: p.partition, resumeAt: r.next }, `exact resume not possible, resuming at-least-once: ${r.reason}`)
  }
  const plain = o.partitions.filter((p) => p.committed !== undefined && p.committed.downstream === undefined).length
  if (plain > 0) o.log.info({ partitions: plain }, 'stored offsets carry no downstream offset; resuming those partitions at-least-once')
  const skipped = [...out.values()].reduce((n, r) => n + r.skipped.length, 0)
  if (skipped > 0) o.log.info({ skipped }, 'exact resume: records already on the target are not sent again')
  // In the order asked.
  return new Map(o.partitions.map((p) => [partitionKey(p.topic, p.partition), out.get(partitionKey(p.topic, p.partition))!]))
}

/** Settles what the watermarks alone decide; returns the partitions whose target records must be verified. */
async function plan(o: ResumeOptions, candidates: ResumePartition[], out: Map<string, Resume>, atLeastOnce: (p: ResumePartition, reason: string) => void): Promise<Check[]> {
  const [targetMarks, sourceMarks] = await Promise.all([
    o.io.watermarks('target', [...new Set(candidates.map((p) => p.remoteTopic))]),
    o.io.watermarks('source', [...new Set(candidates.map((p) => p.topic))]),
  ])
  const checks: Check[] = []
  for (const p of candidates) {
    const t = targetMarks.get(p.remoteTopic)?.get(p.partition)
    const s = sourceMarks.get(p.topic)?.get(p.partition)
    const end = t?.high ?? 0
    // Nothing committed: the remote partition, if it has records, must copy the source from its start.
    const u0 = p.committed?.offset ?? (s?.low ?? 0) - 1
    const d0 = p.committed?.downstream ?? -1
    if (end < d0 + 1) atLeastOnce(p, `${p.remoteTopic}-${p.partition} ends at ${end}, before the committed downstream offset ${d0} (the target lost data or the topic was recreated)`)
    else if (end === d0 + 1) out.set(partitionKey(p.topic, p.partition), { next: p.committed === undefined ? undefined : u0 + 1, exact: true, skipped: [], firstDownstream: -1 })
    else if (t!.low > d0 + 1) atLeastOnce(p, `${p.remoteTopic}-${p.partition} starts at ${t!.low}: the records from downstream offset ${d0 + 1} are deleted`)
    else if (end - d0 - 1 > (o.maxVerify ?? MAX_VERIFY)) atLeastOnce(p, `${end - d0 - 1} records on ${p.remoteTopic}-${p.partition} from downstream offset ${d0 + 1}: more than the ${o.maxVerify ?? MAX_VERIFY} a start verifies`)
    else if (s === undefined || s.low > u0 + 1) atLeastOnce(p, `${p.topic}-${p.partition} starts at ${s?.low ?? 'nothing'}: source records from offset ${u0 + 1} are deleted, they cannot be counted`)
    else checks.push(newCheck(p, u0, d0, end))
  }
  return checks
}

/** Reads the k replicable source records after u0 and the k target records after d0, both sides at once, comparing as they come. */
async function verify(o: ResumeOptions, checks: Check[]): Promise<void> {
  const src = new Map(checks.map((c) => [partitionKey(c.p.topic, c.p.partition), c]))
  const dst = new Map(checks.map((c) => [partitionKey(c.p.remoteTopic, c.p.partition), c]))
  const idleMs = o.idleMs ?? 15000
  await Promise.all([
    o.io.read('source', checks.map((c) => ({ topic: c.p.topic, partition: c.p.partition, from: c.u0 + 1 })), (topic, partition, messages) => {
      const c = src.get(partitionKey(topic, partition))
      if (c === undefined) return true
      // The records the task would replicate, rewritten as it would (identity policy: provenance).
      const b = toMirrorBatch(o.context, { topic, partition, messages, bytes: 0 })
      for (let i = 0; b !== undefined && i < b.messages.length && c.src.n < c.k; i++) {
        if (b.offsets[i] <= c.u0) continue
        c.src.queue.push(digest(b.messages[i]))
        c.offsets.push(b.offsets[i])
        c.src.n++
      }
      settle(c)
      return c.src.n >= c.k || c.differs !== undefined
    }, idleMs),
    o.io.read('target', checks.map((c) => ({ topic: c.p.remoteTopic, partition: c.p.partition, from: c.d0 + 1 })), (topic, partition, messages) => {
      const c = dst.get(partitionKey(topic, partition))
      if (c === undefined) return true
      for (const m of messages) {
        const off = Number(m.offset)
        if (off <= c.d0 || off >= c.end) continue
        c.dst.queue.push(digest(m))
        c.dst.n++
        c.dst.last = off
      }
      settle(c)
      return c.dst.last >= c.end - 1 || c.differs !== undefined
    }, idleMs),
  ])
}

/** Key, value, headers (by name) and timestamp, length-prefixed so no two records digest alike by accident. */
function digest(m: Message | KafkaMessage): string {
  const h = createHash('sha256')
  bytes(h, m.key)
  bytes(h, m.value)
  const headers: IHeaders = m.headers ?? {}
  const names = Object.keys(headers).filter((k) => headers[k] !== undefined).sort()
  bytes(h, String(names.length))
  for (const k of names) {
    const v = headers[k]
    const list = Array.isArray(v) ? v : [v]
    bytes(h, k)
    bytes(h, String(list.length))
    // kafkajs sends a missing header value as empty (mirror-batch does the same).
    for (const x of list) bytes(h, x ?? Buffer.alloc(0))
  }
  bytes(h, m.timestamp === undefined ? null : String(m.timestamp))
  // 128 bits tell records apart well enough and halve what a read that runs ahead holds.
  return h.digest().toString('base64', 0, 16)
}

function bytes(h: Hash, x: Buffer | string | null | undefined): void {
  if (x === null || x === undefined) { h.update('-1;'); return }
  const b = typeof x === 'string' ? Buffer.from(x) : x
  h.update(`${b.length};`)
  h.update(b)
}

/**
 * Offset syncs for the skipped records, as the crashed run would have emitted them had it lived:
 * the emitter learns every (upstream, downstream) pair, so translation stays exact across the skip
 * (the last skipped record stays its tail and goes out with the next flushTail).
 */
export function skippedSyncs(resumes: Map<string, Resume>, emitter: OffsetSyncEmitter): OffsetSync[] {
  const out: OffsetSync[] = []
  for (const [key, r] of resumes) {
    if (r.skipped.length === 0) continue
    const [topic, p] = key.split('\u0000')
    for (let i = 0; i < r.skipped.length; i++) out.push(...emitter.record(topic, Number(p), r.skipped[i], r.firstDownstream + i))
  }
  return out
}

/** A stored offset value as resumeOffsets takes it (undefined when absent or not the mirror's shape). */
export function committedOffset(v: Record<string, unknown> | null | undefined): CommittedOffset | undefined {
  const offset = v?.offset
  if (typeof offset !== 'number') return undefined
  const downstream = v!.downstream
  return typeof downstream === 'number' ? { offset, downstream } : { offset }
}
