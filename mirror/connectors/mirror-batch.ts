// The mirror's batch-oriented data path: one fetched partition batch becomes one MirrorBatch whose
// messages kafkajs's producer takes as they are. No per-record SourceRecord, header list or
// promise: the runner produces whole batches and acknowledges them with the base offset the
// target assigned, from which every record's downstream offset follows (base + index).
import type { IHeaders, KafkaConfig, KafkaMessage, Message } from 'kafkajs'
import type { SourcePartition } from '../../connectors/api'
import { extendProvenance, PROVENANCE_HEADER, readProvenance, wouldLoop } from '../policy'
import type { ReadBatch } from './partition-reader'
import { decodeBatchRecords, encodeBatch, type WireRecord } from '../wire/record-codec'
import { BATCH_OVERHEAD, readBatchHeader } from '../wire/batch-rewrite'

/** Where the magic byte sits in a v2 batch and in a legacy message-set entry alike; a legacy entry's codec bits. */
const MAGIC_AT = 16
const LEGACY_CODEC_MASK = 0x07

export interface MirrorBatch {
  /** Target topic and partition. */
  topic: string
  partition: number
  /** The codec the producer should use (the source topic's, as MM2 keeps it); 'none' when unknown. */
  compression: string
  /** In source order, each with `partition` set. */
  messages: Message[]
  /** Upstream offset of each message. */
  offsets: number[]
  /** Key and value bytes. */
  bytes: number
  /** The source partition's high watermark when these records were fetched (replication-lag metric). */
  sourceHighWatermark?: number
  /** MM2's source partition { cluster, topic, partition }, and a stable key for it. */
  sourcePartition: SourcePartition
  sourceKey: string
}

const EMPTY = Buffer.alloc(0)

/** kafkajs cannot encode a null header value; Godwit sends it as empty (as before). */
function producerHeaders(h: IHeaders | undefined): IHeaders | undefined {
  if (h === undefined) return undefined
  let out: IHeaders | undefined
  for (const k in h) {
    const v = h[k]
    if (v === null || v === undefined || (Array.isArray(v) && v.some((x) => x === null || x === undefined))) {
      out ??= { ...h }
      out[k] = Array.isArray(v) ? v.map((x) => x ?? EMPTY) : EMPTY
    }
  }
  return out ?? h
}

export interface BatchContext {
  source: string
  target: string
  /** Remote topic name for a source topic. */
  remoteTopic(topic: string): string
  compression: Record<string, string>
  /** Identity policy: provenance headers decide what would loop. */
  identity: boolean
}

/** Converts one fetched batch; undefined when nothing in it is to be replicated. */
export function toMirrorBatch(c: BatchContext, rb: ReadBatch): MirrorBatch | undefined {
  const messages: Message[] = []
  const offsets: number[] = []
  let bytes = 0
  const partition = rb.partition
  for (const m of rb.messages) {
    let headers = producerHeaders(m.headers)
    if (c.identity && !identityHeaders(c, m)) continue
    if (c.identity) headers = withProvenance(c, headers, m)
    messages.push({ partition, key: m.key, value: m.value, headers, timestamp: m.timestamp })
    offsets.push(Number(m.offset))
    bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0)
  }
  if (messages.length === 0) return undefined
  return {
    topic: c.remoteTopic(rb.topic), partition, compression: c.compression[rb.topic] ?? 'none', messages, offsets, bytes,
    ...(rb.highWatermark !== undefined ? { sourceHighWatermark: rb.highWatermark } : {}),
    sourcePartition: { cluster: c.source, topic: rb.topic, partition }, sourceKey: `${rb.topic}\u0000${partition}`,
  }
}

/** Under the identity policy names cannot tell where a record came from; its header can. */
function identityHeaders(c: BatchContext, m: KafkaMessage): boolean {
  return !wouldLoop(readProvenance(m.headers as Record<string, Buffer>), c.target)
}

function withProvenance(c: BatchContext, headers: IHeaders | undefined, m: KafkaMessage): IHeaders {
  const seen = readProvenance(m.headers as Record<string, Buffer>)
  const out: IHeaders = {}
  for (const k in headers ?? {}) if (k !== PROVENANCE_HEADER) out[k] = headers![k]
  out[PROVENANCE_HEADER] = Buffer.from(extendProvenance(seen, c.source, c.target))
  return out
}

// ---- The raw path: record batches moved as bytes (identity: re-encoded with provenance) ----

/** What RawBatchSender produces: complete v2 batches whose records need no change. */
export interface RawMirrorBatch {
  /** Target topic and partition. */
  topic: string
  partition: number
  /** Complete v2 record batches of this partition in order, each with contiguous offsets. The
   *  sender rewrites producer id/epoch/sequence, clears the transactional bit, recomputes CRC. */
  batches: Buffer[]
  /** Upstream offset of each record, in order (length = total records of `batches`). */
  offsets: number[]
  /** Total bytes of `batches`, for backpressure and metrics. */
  bytes: number
  /** Latest record timestamp per batch (ms), for replication-latency metrics. */
  maxTimestamps: number[]
  /** The source partition's high watermark when these batches were fetched (replication-lag metric). */
  sourceHighWatermark?: number
  sourcePartition: SourcePartition
  sourceKey: string
}

export function isRawMirrorBatch(b: MirrorBatch | RawMirrorBatch): b is RawMirrorBatch {
  return (b as RawMirrorBatch).batches !== undefined
}

/**
 * A source task that can hand out raw batches (MirrorSourceTask). A host that can produce them
 * (TaskRunner with RawBatchSender) calls rawTarget(props) before start(): the task then reads raw
 * (any policy; identity re-encodes each batch with provenance headers) and returns the target
 * cluster's KafkaConfig for the sender; undefined means "use the kafkajs path". Hosts that never ask
 * (Connect's worker, which calls poll()) keep the kafkajs path.
 */
export interface RawBatchSourceTask {
  rawTarget(props: Record<string, string>): KafkaConfig | undefined
  /** After start(): true when pollRawBatches() is the task's data path. */
  readonly rawPath: boolean
  pollRawBatches(): Promise<RawMirrorBatch[]>
  /** Before start(): source partitions (RawMirrorBatch.sourceKey) not to fetch for now, asked before each fetch. */
  holdRaw?(held: (sourceKey: string) => boolean): void
  /** The target acknowledged `batch`; its first record got `baseOffset` (record i: baseOffset + i). */
  commitRawBatch(batch: RawMirrorBatch, baseOffset: number): void
}

export function isRawBatchSourceTask(t: unknown): t is RawBatchSourceTask {
  return typeof (t as Partial<RawBatchSourceTask>).rawTarget === 'function' && typeof (t as Partial<RawBatchSourceTask>).pollRawBatches === 'function'
}

/** Fetched entries of one partition as bytes, in log order; the first may start below `fromOffset`. */
export interface RawReadBatch {
  topic: string
  partition: number
  batches: Buffer[]
  /** The first upstream offset wanted: records below it were replicated already. */
  fromOffset: number
  /** The partition's high watermark in the fetch response. */
  highWatermark?: number
}

/** Offset after the last record of a fetched entry: a v2 batch's header says (gaps and control
 *  batches included); a legacy message-set entry's offset is that of its last (inner) message. */
export function rawBatchEnd(b: Buffer): number {
  if (b.length >= BATCH_OVERHEAD && b[MAGIC_AT] === 2) {
    const h = readBatchHeader(b)
    return h.baseOffset + h.lastOffsetDelta + 1
  }
  return Number(b.readBigInt64BE(0)) + 1
}

/* eslint-disable @typescript-eslint/no-require-imports */
const KDecoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown
const decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder') as (d: unknown, size: number) => Promise<KafkaMessage[]>

/** Records decoded because their batch cannot travel as it is, waiting to be re-encoded as one batch. */
interface Pending { codec: number; records: WireRecord[] }

/** Legacy (magic 0/1) messages have no headers; kafkajs's decoder is exact for them. */
function legacyRecord(m: KafkaMessage): WireRecord {
  return { offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key ?? null, value: m.value ?? null, headers: [] }
}

/**
 * Under the identity policy: null when the record has been on the target already (it would loop),
 * else the record with the provenance header as toMirrorBatch writes it (every earlier one removed,
 * the extended list appended last; the other headers keep their order, repeats and nulls).
 */
export function withRawProvenance(c: BatchContext, r: WireRecord): WireRecord | null {
  let last: Buffer | null | undefined
  for (const [k, v] of r.headers) if (k === PROVENANCE_HEADER) last = v
  const seen = last === undefined ? [] : readProvenance({ [PROVENANCE_HEADER]: last } as Record<string, Buffer>)
  if (wouldLoop(seen, c.target)) return null
  const headers = r.headers.filter(([k]) => k !== PROVENANCE_HEADER)
  headers.push([PROVENANCE_HEADER, Buffer.from(extendProvenance(seen, c.source, c.target))])
  return { ...r, headers }
}

/**
 * Classifies one partition's fetched entries. A v2 batch travels as it is when it is not a control
 * batch, has no compaction gaps (recordCount = lastOffsetDelta + 1), carries CreateTime and starts
 * at or after `fromOffset`. Anything else is decoded and its records at or after `fromOffset`
 * (control batches never) are re-encoded with the same codec, consecutive ones as ONE batch, by
 * record-codec.ts so headers stay exact. Under the identity policy every batch is decoded: records
 * that would loop are dropped (offsets[] lists the kept ones) and the rest get the provenance header.
 * Undefined when nothing is to be replicated.
 */
export async function toRawMirrorBatch(c: BatchContext, rb: RawReadBatch): Promise<RawMirrorBatch | undefined> {
  const batches: Buffer[] = []
  const offsets: number[] = []
  const maxTimestamps: number[] = []
  let bytes = 0
  let pending: Pending | undefined
  const flush = async (): Promise<void> => {
    if (pending === undefined) return
    const batch = await encodeBatch(pending.codec, pending.records)
    batches.push(batch)
    maxTimestamps.push(readBatchHeader(batch).maxTimestamp)
    bytes += batch.length
    pending = undefined
  }
  const keep = async (codec: number, records: WireRecord[]): Promise<void> => {
    for (const r of records) {
      if (r.offset < rb.fromOffset) continue
      const out = c.identity ? withRawProvenance(c, r) : r
      if (out === null) continue
      if (pending !== undefined && pending.codec !== codec) await flush()
      pending ??= { codec, records: [] }
      pending.records.push(out)
      offsets.push(r.offset)
    }
  }
  for (const b of rb.batches) {
    if (b[MAGIC_AT] !== 2) {
      // Legacy message-set entry (magic 0/1): its attributes byte follows crc and magic.
      await keep(b[17] & LEGACY_CODEC_MASK, (await decodeMessageSet(new KDecoder(b), b.length)).map(legacyRecord))
      continue
    }
    const h = readBatchHeader(b)
    if (h.control) continue // transaction markers are never replicated
    if (!c.identity && h.recordCount === h.lastOffsetDelta + 1 && !h.logAppendTime && h.baseOffset >= rb.fromOffset) {
      await flush()
      batches.push(b)
      for (let i = 0; i < h.recordCount; i++) offsets.push(h.baseOffset + i)
      maxTimestamps.push(h.maxTimestamp)
      bytes += b.length
      continue
    }
    await keep(h.codec, (await decodeBatchRecords(b)).records)
    // Identity rewrites every batch: one target batch per source batch keeps sizes within the target's limits.
    if (c.identity) await flush()
  }
  await flush()
  if (offsets.length === 0) return undefined
  const partition = rb.partition
  return {
    topic: c.remoteTopic(rb.topic), partition, batches, offsets, bytes, maxTimestamps,
    ...(rb.highWatermark !== undefined ? { sourceHighWatermark: rb.highWatermark } : {}),
    sourcePartition: { cluster: c.source, topic: rb.topic, partition }, sourceKey: `${rb.topic}\u0000${partition}`,
  }
}
