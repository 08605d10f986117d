// Produces RawMirrorBatches to the target as they are (bytes, no record decoding), pipelined: the
// runner enqueues what it polled and polls again while requests fly. The contract is
// BatchSender's: enqueue / onAck(batch, baseOffset) in order per partition / waitBelow / idle.
//
// One IdempotentProducer serves every partition (no lanes: no CPU goes into encoding). Kafka takes
// one record batch per partition per request, and a partition has at most one in flight (a second
// would need the broker to order two requests of one sequence stream), so a request carries the
// head batch of every partition that is ready, grouped by leader; up to `inFlight` such rounds run
// side by side on disjoint partitions. Each batch is acknowledged on its own: its records landed at
// base + i. A failed batch stays at the head of its partition and is retried after a backoff
// (100 ms doubling to 5 s), with the same bytes while the producer id holds; nothing is skipped.
import type { KafkaConfig } from 'kafkajs'
import type { Logger } from '../../config'
import type { RawMirrorBatch } from '../connectors/mirror-batch'
import { batchRecordCount } from '../wire/batch-rewrite'
import { IdempotentProducer, type PartitionBatch, type ProduceOutcome } from '../wire/idempotent-producer'
import { WireClient } from '../wire/kafka-client'

/** Bytes of batches in one round (Kafka's default max.request.size is 1 MiB; brokers take 100 MiB). */
const MAX_ROUND_BYTES = 4 * 1024 * 1024
/** Rounds in flight side by side (on disjoint partitions). */
const DEFAULT_IN_FLIGHT = 2
const FIRST_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 5000

export interface RawBatchSenderOptions {
  /** The target cluster's client config (MirrorContext.targetConfig); request.timeout.ms is the produce timeout. */
  target: KafkaConfig
  isStopping(): boolean
  /** `batch` is acknowledged; its first record got `baseOffset`. Called in order per partition. */
  onAck(batch: RawMirrorBatch, baseOffset: number): void
  /** A batch the target refuses as it is (MIRROR_PRODUCE_REJECTED); it is retried every 5 s, never skipped. */
  onRejected?(batch: RawMirrorBatch, error: Error): void
  log: Logger
  /** Rounds in flight side by side (default 2). */
  inFlight?: number
}

/** One record batch of one partition: what is acknowledged together. */
interface Unit {
  batch: RawMirrorBatch
  item: PartitionBatch
}

interface PartitionQueue {
  units: Unit[]
  busy: boolean
  /** Not before this time (ms) after a failure. */
  retryAt: number
  backoff: number
}

/** Splits a RawMirrorBatch into one RawMirrorBatch per record batch (offsets, bytes, timestamps sliced). */
function split(b: RawMirrorBatch): Unit[] {
  if (b.batches.length === 1) return [{ batch: b, item: { topic: b.topic, partition: b.partition, batch: b.batches[0] } }]
  const units: Unit[] = []
  let at = 0
  b.batches.forEach((buf, i) => {
    const n = batchRecordCount(buf)
    const one: RawMirrorBatch = { ...b, batches: [buf], offsets: b.offsets.slice(at, at + n), bytes: buf.length, maxTimestamps: [b.maxTimestamps[i]] }
    at += n
    units.push({ batch: one, item: { topic: b.topic, partition: b.partition, batch: buf } })
  })
  return units
}

export class RawBatchSender {
  private readonly producer: IdempotentProducer
  private readonly queues = new Map<string, PartitionQueue>()
  private readonly inFlight: number
  private rounds = 0
  private queuedBytes = 0
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private waiters: Array<{ bytes: number; resolve: () => void }> = []
  private idlers: Array<() => void> = []
  private closed = false

  constructor(private readonly o: RawBatchSenderOptions) {
    this.producer = new IdempotentProducer(new WireClient(o.target), { log: o.log, timeoutMs: o.target.requestTimeout ?? 30000 })
    this.inFlight = Math.max(1, o.inFlight ?? DEFAULT_IN_FLIGHT)
  }

  /** Connects to the target and gets a producer id now rather than on the first request. */
  async connect(): Promise<void> {
    await this.producer.connect()
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
    await this.producer.close()
    this.settle()
  }

  enqueue(batches: RawMirrorBatch[]): void {
    for (const b of batches) {
      if (b.batches.length === 0) continue
      const key = `${b.topic}\u0000${b.partition}`
      let q = this.queues.get(key)
      if (q === undefined) this.queues.set(key, (q = { units: [], busy: false, retryAt: 0, backoff: FIRST_BACKOFF_MS }))
      for (const u of split(b)) q.units.push(u)
      this.queuedBytes += b.bytes
    }
    this.pump()
  }

  /** Backpressure: resolves once at most `bytes` wait to be acknowledged (or once sending stops). */
  async waitBelow(bytes: number): Promise<void> {
    if (this.queuedBytes <= bytes || this.isIdle()) return
    await new Promise<void>((resolve) => this.waiters.push({ bytes, resolve }))
  }

  /** Resolves once nothing is in flight and nothing waits (all acknowledged, or the runner stopping). */
  async idle(): Promise<void> {
    if (this.isIdle()) return
    await new Promise<void>((resolve) => this.idlers.push(resolve))
  }

  private isIdle(): boolean {
    return this.rounds === 0 && (this.queuedBytes === 0 || this.closed || this.o.isStopping())
  }

  /** Starts rounds while there is room and a partition is ready; arms a timer for the next backoff. */
  private pump(): void {
    if (this.closed || this.o.isStopping()) { this.settle(); return }
    const now = Date.now()
    let nextRetry = Infinity
    while (this.rounds < this.inFlight) {
      const round: Array<{ q: PartitionQueue; u: Unit }> = []
      let bytes = 0
      for (const q of this.queues.values()) {
        if (q.busy || q.units.length === 0) continue
        if (q.retryAt > now) { nextRetry = Math.min(nextRetry, q.retryAt); continue }
        const u = q.units[0]
        if (round.length > 0 && bytes + u.item.batch.length > MAX_ROUND_BYTES) continue
        round.push({ q, u })
        bytes += u.item.batch.length
      }
      if (round.length === 0) break
      for (const r of round) r.q.busy = true
      this.rounds++
      void this.send(round)
    }
    if (nextRetry < this.timerAt) {
      clearTimeout(this.timer)
      this.timerAt = nextRetry
      this.timer = setTimeout(() => { this.timer = undefined; this.timerAt = Infinity; this.pump() }, Math.max(1, nextRetry - now))
    }
    this.settle()
  }

  private async send(round: Array<{ q: PartitionQueue; u: Unit }>): Promise<void> {
    let outcomes: ProduceOutcome[]
    try {
      outcomes = await this.producer.produce(round.map((r) => r.u.item))
    } catch (err) {
      outcomes = round.map(() => ({ ok: false, retriable: true, error: err as Error }))
    }
    this.rounds--
    round.forEach(({ q, u }, i) => {
      q.busy = false
      const r = outcomes[i]
      if (r.ok) {
        q.units.shift()
        q.backoff = FIRST_BACKOFF_MS
        q.retryAt = 0
        this.queuedBytes -= u.batch.bytes
        try { this.o.onAck(u.batch, r.baseOffset) } catch (err) { this.o.log.error({ err }, 'acknowledging a produced batch failed') }
        return
      }
      if (this.closed || this.o.isStopping()) return
      if (r.retriable) {
        this.o.log.warn({ err: r.error, topic: u.batch.topic, partition: u.batch.partition, retryInMs: q.backoff }, 'producing to the target failed; retrying')
        q.retryAt = Date.now() + q.backoff
        q.backoff = Math.min(q.backoff * 2, MAX_BACKOFF_MS)
      } else {
        this.o.log.error({ err: r.error, topic: u.batch.topic, partition: u.batch.partition, retryInMs: MAX_BACKOFF_MS }, 'the target refuses a batch; retrying it until the target accepts it')
        q.retryAt = Date.now() + MAX_BACKOFF_MS
        try { this.o.onRejected?.(u.batch, r.error) } catch (err) { this.o.log.error({ err }, 'onRejected failed') }
      }
    })
    for (const [key, q] of this.queues) if (q.units.length === 0 && !q.busy) this.queues.delete(key)
    this.pump()
  }

  /** Wakes waitBelow() and idle() callers whose condition now holds. */
  private settle(): void {
    const idle = this.isIdle()
    if (this.waiters.length > 0) {
      const still: typeof this.waiters = []
      for (const w of this.waiters) (idle || this.queuedBytes <= w.bytes ? w.resolve() : still.push(w))
      this.waiters = still
    }
    if (idle && this.idlers.length > 0) {
      const idlers = this.idlers
      this.idlers = []
      for (const r of idlers) r()
    }
  }
}
