// Produces RawMirrorBatches to the target as they are (bytes, no record decoding), pipelined: the
// runner enqueues what it polled and polls again while requests fly. The contract is
// BatchSender's: enqueue / onAck(batch, baseOffset) in order per partition / waitBelow / idle.
//
// One IdempotentProducer serves every partition (no lanes: no CPU goes into encoding). Kafka takes
// one record batch per partition per request, and forwarded batches stay as the source producer
// made them (often small), so a partition keeps up to 5 batches in flight in successive requests,
// as Kafka's idempotent producer does (max.in.flight.requests.per.connection=5): a connection's
// requests are appended in order and a sequence that is not the next one is refused, so the log
// keeps the queue's order. A request carries the next batch of every partition that has room,
// grouped by leader. Each batch is acknowledged on its own (its records landed at base + i), in
// order. When a batch fails, the partition sends nothing more until its requests in flight are
// answered, then resends from its first unacknowledged batch after a backoff (100 ms doubling to
// 5 s), with the same bytes while the producer id holds; nothing is skipped.
import type { KafkaConfig } from 'kafkajs'
import type { Logger } from '../../config'
import type { RawMirrorBatch } from '../connectors/mirror-batch'
import { batchRecordCount } from '../wire/batch-rewrite'
import { IdempotentProducer, type PartitionBatch, type ProduceOutcome } from '../wire/idempotent-producer'
import { WireClient } from '../wire/kafka-client'

/** Bytes of batches in one request round (Kafka's default max.request.size is 1 MiB; brokers take 100 MiB). */
const MAX_ROUND_BYTES = 4 * 1024 * 1024
/** Batches of one partition in flight at once: Kafka's limit for an idempotent producer. */
const DEFAULT_IN_FLIGHT = 5
/** Request rounds in flight at once (each one request per leader). */
const MAX_ROUNDS = 5
const FIRST_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 5000
/** Errors that may come from a batch sent behind one that failed: they call for a restart only when the batch went alone. */
const SEQUENCE_ERRORS = new Set([45, 46])

export interface RawBatchSenderOptions {
  /** The target cluster's client config (MirrorContext.targetConfig); request.timeout.ms is the produce timeout. */
  target: KafkaConfig
  isStopping(): boolean
  /** `batch` is acknowledged; its first record got `baseOffset`. Called in order per partition. */
  onAck(batch: RawMirrorBatch, baseOffset: number): void
  /** A batch the target refuses as it is (MIRROR_PRODUCE_REJECTED); it is retried every 5 s, never skipped. */
  onRejected?(batch: RawMirrorBatch, error: Error): void
  log: Logger
  /** Batches of one partition in flight at once (default 5, at most 5 as Kafka allows an idempotent producer). */
  inFlight?: number
}

/** One record batch of one partition: what is sent and acknowledged together. */
interface Unit {
  batch: RawMirrorBatch
  item: PartitionBatch
  /** Set once the target acknowledged it. */
  baseOffset?: number
  /** Set when its last attempt failed. */
  failure?: Extract<ProduceOutcome, { ok: false }>
  /** Nothing of its partition was in flight when it was last sent. */
  alone: boolean
}

interface PartitionQueue {
  /** The source partition's key ("topic\0partition") its batches come from. */
  source: string
  /** Unacknowledged batches in order; units[0..sent) have been sent (answered or not). */
  units: Unit[]
  /** Bytes of `units`. */
  bytes: number
  sent: number
  inFlight: number
  /** A batch failed: send nothing until the ones in flight are answered, then resend from the head. */
  failed: boolean
  /** Not before this time (ms). */
  retryAt: number
  backoff: number
  /**
   * Producer generation of the last acknowledgement since the last failure. Only then does the
   * partition send more than one batch at a time: a broker takes any first sequence from a
   * producer id it has no state for, so a batch behind a failed first one could land before it.
   */
  openGeneration: number | undefined
}

/** Splits a RawMirrorBatch into one RawMirrorBatch per record batch (offsets, bytes, timestamps sliced). */
function split(b: RawMirrorBatch): Unit[] {
  if (b.batches.length === 1) return [{ batch: b, item: { topic: b.topic, partition: b.partition, batch: b.batches[0] }, alone: false }]
  const units: Unit[] = []
  let at = 0
  b.batches.forEach((buf, i) => {
    const n = batchRecordCount(buf)
    const one: RawMirrorBatch = { ...b, batches: [buf], offsets: b.offsets.slice(at, at + n), bytes: buf.length, maxTimestamps: [b.maxTimestamps[i]] }
    at += n
    units.push({ batch: one, item: { topic: b.topic, partition: b.partition, batch: buf }, alone: false })
  })
  return units
}

export class RawBatchSender {
  private readonly producer: IdempotentProducer
  private readonly queues = new Map<string, PartitionQueue>()
  private readonly bySource = new Map<string, PartitionQueue>()
  /** Partitions whose last attempt failed and that have not been acknowledged since. */
  private readonly stalled = new Set<PartitionQueue>()
  private readonly window: number
  private rounds = 0
  private queuedBytes = 0
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private waiters: Array<{ bytes: number; resolve: () => void }> = []
  private idlers: Array<() => void> = []
  private closed = false

  constructor(private readonly o: RawBatchSenderOptions) {
    this.producer = new IdempotentProducer(new WireClient(o.target), { log: o.log, timeoutMs: o.target.requestTimeout ?? 30000 })
    this.window = Math.min(5, Math.max(1, o.inFlight ?? DEFAULT_IN_FLIGHT))
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
      if (q === undefined) {
        q = { source: b.sourceKey, units: [], bytes: 0, sent: 0, inFlight: 0, failed: false, retryAt: 0, backoff: FIRST_BACKOFF_MS, openGeneration: undefined }
        this.queues.set(key, q)
        this.bySource.set(b.sourceKey, q)
      }
      for (const u of split(b)) q.units.push(u)
      q.bytes += b.bytes
      this.queuedBytes += b.bytes
    }
    this.pump()
  }

  /**
   * Backpressure: resolves once at most `bytes` wait to be acknowledged (or once sending stops).
   * Batches of a stalled partition (see held) do not count: one target partition that refuses
   * writes for long (its topic deleted, say) must not stop the others; its source is held instead.
   */
  async waitBelow(bytes: number): Promise<void> {
    if (this.flowingBytes() <= bytes || this.isIdle()) return
    await new Promise<void>((resolve) => this.waiters.push({ bytes, resolve }))
  }

  /**
   * True while the partition fed by this source partition ("topic\0partition") is stalled: its
   * last attempt failed and nothing was acknowledged since. Its source should not be read
   * meanwhile, so what waits stays bounded (its batches are retried, never skipped).
   */
  held(sourceKey: string): boolean {
    const q = this.bySource.get(sourceKey)
    return q !== undefined && this.stalled.has(q)
  }

  private flowingBytes(): number {
    let held = 0
    for (const q of this.stalled) held += q.bytes
    return this.queuedBytes - held
  }

  /** Resolves once nothing is in flight and nothing waits (all acknowledged, or the runner stopping). */
  async idle(): Promise<void> {
    if (this.isIdle()) return
    await new Promise<void>((resolve) => this.idlers.push(resolve))
  }

  private isIdle(): boolean {
    return this.rounds === 0 && (this.queuedBytes === 0 || this.closed || this.o.isStopping())
  }

  /** Starts rounds while there is room and a partition is ready; arms a timer for the next retry. */
  private pump(): void {
    if (this.closed || this.o.isStopping()) { this.settle(); return }
    // Stamps made during a restart would be stale at once; the restart's end pumps again.
    if (this.producer.restarting) { void this.producer.restarted().then(() => this.pump()); return }
    const now = Date.now()
    const generation = this.producer.id.generation
    let nextRetry = Infinity
    while (this.rounds < MAX_ROUNDS) {
      const round: Array<{ q: PartitionQueue; u: Unit }> = []
      let bytes = 0
      for (const q of this.queues.values()) {
        if (q.failed || q.inFlight >= (q.openGeneration === generation ? this.window : 1) || q.sent >= q.units.length) continue
        if (q.retryAt > now) { nextRetry = Math.min(nextRetry, q.retryAt); continue }
        const u = q.units[q.sent]
        // After a restart, new stamps wait until the old producer id's batches are answered.
        if (q.inFlight > 0 && q.units[q.sent - 1]?.item.stamp?.generation !== generation) continue
        if (round.length > 0 && bytes + u.item.batch.length > MAX_ROUND_BYTES) continue
        round.push({ q, u })
        bytes += u.item.batch.length
      }
      if (round.length === 0) break
      for (const { q, u } of round) {
        u.alone = q.inFlight === 0
        u.failure = undefined
        q.inFlight++
        q.sent++
        // Skip past batches already acknowledged out of a failed window (answered, waiting for the head).
        while (q.sent < q.units.length && q.units[q.sent].baseOffset !== undefined) q.sent++
      }
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
      // produce() stamps synchronously, in the order rounds start: a partition's sequences follow its queue.
      outcomes = await this.producer.produce(round.map((r) => r.u.item))
    } catch (err) {
      outcomes = round.map(() => ({ ok: false, retriable: true, error: err as Error }))
    }
    this.rounds--
    round.forEach(({ q, u }, i) => {
      q.inFlight--
      const r = outcomes[i]
      if (r.ok) u.baseOffset = r.baseOffset
      else { u.failure = r; q.failed = true }
      this.release(q)
      if (q.failed && q.inFlight === 0) this.resend(q)
    })
    for (const [key, q] of this.queues) {
      if (q.units.length > 0 || q.inFlight > 0) continue
      this.queues.delete(key)
      if (this.bySource.get(q.source) === q) this.bySource.delete(q.source)
      this.stalled.delete(q)
    }
    this.pump()
  }

  /** Acknowledges the partition's answered batches at the head of its queue, in order. */
  private release(q: PartitionQueue): void {
    while (q.units.length > 0 && q.units[0].baseOffset !== undefined) {
      const u = q.units.shift()!
      q.sent--
      q.bytes -= u.batch.bytes
      q.backoff = FIRST_BACKOFF_MS
      this.stalled.delete(q)
      if (!q.failed) q.openGeneration = u.item.stamp?.generation
      this.queuedBytes -= u.batch.bytes
      try { this.o.onAck(u.batch, u.baseOffset!) } catch (err) { this.o.log.error({ err }, 'acknowledging a produced batch failed') }
    }
  }

  /** All of a failed partition's requests are answered: decide from its first failed batch, then resend from the head. */
  private resend(q: PartitionQueue): void {
    q.failed = false
    q.openGeneration = undefined
    q.sent = 0
    while (q.sent < q.units.length && q.units[q.sent].baseOffset !== undefined) q.sent++
    const head = q.units.find((u) => u.failure !== undefined)
    if (head === undefined || this.closed || this.o.isStopping()) return
    this.stalled.add(q)
    const f = head.failure!
    const where = { topic: head.batch.topic, partition: head.batch.partition }
    if (!f.retriable) {
      this.o.log.error({ err: f.error, ...where, retryInMs: MAX_BACKOFF_MS }, 'the target refuses a batch; retrying it until the target accepts it')
      q.retryAt = Date.now() + MAX_BACKOFF_MS
      try { this.o.onRejected?.(head.batch, f.error) } catch (err) { this.o.log.error({ err }, 'onRejected failed') }
      return
    }
    // A sequence error on a batch sent behind others may only echo their failure: resend first.
    const code = (f.error as { code?: unknown }).code
    if (f.restart === true && (head.alone || !SEQUENCE_ERRORS.has(code as number)) && head.item.stamp !== undefined) {
      void this.producer.restart(head.item.stamp.generation)
        .catch((err) => this.o.log.warn({ err }, 'restarting the producer failed; retrying'))
        .then(() => this.pump())
    } else {
      this.o.log.warn({ err: f.error, ...where, retryInMs: q.backoff }, 'producing to the target failed; retrying')
    }
    q.retryAt = Date.now() + q.backoff
    q.backoff = Math.min(q.backoff * 2, MAX_BACKOFF_MS)
  }

  /** Wakes waitBelow() and idle() callers whose condition now holds. */
  private settle(): void {
    const idle = this.isIdle()
    if (this.waiters.length > 0) {
      const still: typeof this.waiters = []
      const flowing = this.flowingBytes()
      for (const w of this.waiters) (idle || flowing <= w.bytes ? w.resolve() : still.push(w))
      this.waiters = still
    }
    if (idle && this.idlers.length > 0) {
      const idlers = this.idlers
      this.idlers = []
      for (const r of idlers) r()
    }
  }
}
