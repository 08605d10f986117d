// The mirror's batch-oriented data path: one fetched partition batch becomes one MirrorBatch whose
// messages kafkajs's producer takes as they are. No per-record SourceRecord, header list or
// promise: the runner produces whole batches and acknowledges them with the base offset the
// target assigned, from which every record's downstream offset follows (base + index).
import type { IHeaders, KafkaMessage, Message } from 'kafkajs'
import type { SourcePartition } from '../../connectors/api'
import { extendProvenance, PROVENANCE_HEADER, readProvenance, wouldLoop } from '../policy'
import type { ReadBatch } from './partition-reader'

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
  /** MM2's source partition { cluster, topic, partition }, and a stable key for it. */
  sourcePartition: SourcePartition
  sourceKey: string
}

/** A source task that hands out whole batches (MirrorSourceTask); the runner prefers this path. */
export interface BatchSourceTask {
  pollBatches(): Promise<MirrorBatch[]>
  /** The target acknowledged `batch`; its first record got `baseOffset`. */
  commitBatch(batch: MirrorBatch, baseOffset: number): void
}

export function isBatchSourceTask(t: unknown): t is BatchSourceTask {
  return typeof (t as Partial<BatchSourceTask>).pollBatches === 'function' && typeof (t as Partial<BatchSourceTask>).commitBatch === 'function'
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
