// An idempotent producer for record batches that arrive as bytes: one producer id from
// InitProducerId, a sequence per target partition, each batch stamped with them (batch-rewrite)
// and produced to its partition's leader with acks=all. It sends; it does not queue or retry:
// every batch gets an outcome saying whether sending the same item again can succeed. An item
// keeps its stamp, so a retry resends the same bytes and the broker drops a copy it already
// appended (answering with the first copy's offset). An outcome with `restart` says the broker
// does not know this producer id or sequence any more: the caller restarts the producer (new id,
// sequences from 0) and items then get fresh stamps; that may duplicate, never lose.
// Stamps follow the order of stamp() calls per partition: the caller stamps a partition's items
// in order and sends them in that order (Kafka appends a connection's requests in order and
// refuses a sequence that is not the next one, so order on the wire is order in the log).
import type { Logger } from '../../config'
import { isRetriable } from '../../config'
import { batchCodec, batchRecordCount, batchSequenceSpan, CODEC_NAMES, nextSequence, stampBatch } from './batch-rewrite'
import { RawProduceError } from './errors'
import type { WireClient } from './kafka-client'
import { produceRequest, produceResponse, type ProduceTopicData } from './produce-request'

/* eslint-disable @typescript-eslint/no-require-imports */
const initProducerId = require('kafkajs/src/protocol/requests/initProducerId').protocol({ version: 0 })
const { createErrorFromCode }: { createErrorFromCode(code: number): Error & { type: string; retriable: boolean } } = require('kafkajs/src/protocol/error')

const ZSTD = CODEC_NAMES.indexOf('zstd')

/** Partition errors after which the same bytes may succeed once metadata is fresh or time has passed. */
const RETRIABLE = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  7, // REQUEST_TIMED_OUT
  13, // NETWORK_EXCEPTION
  19, // NOT_ENOUGH_REPLICAS
  20, // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  56, // KAFKA_STORAGE_ERROR
])
/** Errors of the producer id or sequence: restart the producer and stamp again. */
const RESTART = new Set([
  45, // OUT_OF_ORDER_SEQUENCE_NUMBER
  46, // DUPLICATE_SEQUENCE_NUMBER (no offset comes with it)
  47, // INVALID_PRODUCER_EPOCH
  59, // UNKNOWN_PRODUCER_ID
])
/** The bytes themselves are refused: no retry can help. */
const HINTS: Record<number, string> = {
  2: 'the batch failed the broker\'s checks (CRC or size): report it, this is a bug in the forwarding',
  10: 'raise max.message.bytes on the target topic (or message.max.bytes on the target brokers) to at least the source topic\'s limit',
  18: 'raise max.message.bytes on the target topic (or message.max.bytes on the target brokers) to at least the source topic\'s limit',
  87: 'the target refused the batch as invalid (e.g. a compacted target topic needs keys on every record)',
}

export interface PartitionBatch {
  /** Target topic and partition. */
  topic: string
  partition: number
  /** One complete v2 record batch; stamped in place when first sent. */
  batch: Buffer
  /** Set by the producer when it stamps the batch; a retry with the same stamp resends the same bytes. */
  stamp?: { generation: number; sequence: number }
}

export type ProduceOutcome =
  | { ok: true; baseOffset: number }
  /** `restart`: a producer id or sequence error (UNKNOWN_PRODUCER_ID, INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER, DUPLICATE_SEQUENCE_NUMBER). */
  | { ok: false; error: Error; retriable: boolean; restart?: boolean }

export interface IdempotentProducerOptions {
  log: Logger
  /** Produce timeout_ms: how long the leader waits for the in-sync replicas (request.timeout.ms, 30000). */
  timeoutMs?: number
}

export class IdempotentProducer {
  private producerId = -1n
  private producerEpoch = -1
  /** Bumped by every InitProducerId; a stamp of an older generation is stale. */
  private generation = 0
  /** "topic\0partition" -> next sequence under the current generation. */
  private readonly sequences = new Map<string, number>()
  private restartingNow: Promise<void> | undefined
  private refreshing: Promise<void> | undefined
  private readonly timeoutMs: number

  constructor(private readonly client: WireClient, private readonly o: IdempotentProducerOptions) {
    this.timeoutMs = o.timeoutMs ?? 30000
  }

  async connect(): Promise<void> {
    await this.client.connect()
    await this.client.refreshMetadata([])
    await this.renew(this.generation)
  }

  async close(): Promise<void> {
    await this.client.disconnect()
  }

  /** Current producer id and epoch (for logs and tests). */
  get id(): { producerId: bigint; producerEpoch: number; generation: number } {
    return { producerId: this.producerId, producerEpoch: this.producerEpoch, generation: this.generation }
  }

  /** True while a new producer id is being fetched: stamps made now would be stale at once. */
  get restarting(): boolean { return this.restartingNow !== undefined }

  /** Resolves once no restart is under way. */
  async restarted(): Promise<void> { await this.restartingNow?.catch(() => undefined) }

  /**
   * Produces each item to its partition's leader (one request per leader, side by side) and
   * returns an outcome per item, in the order given. At most one item per partition. Items not
   * stamped under the current producer id are stamped first, in the order of produce() calls.
   */
  async produce(items: PartitionBatch[]): Promise<ProduceOutcome[]> {
    const out = new Array<ProduceOutcome>(items.length)
    const seen = new Set<string>()
    for (const it of items) {
      const key = `${it.topic}\u0000${it.partition}`
      if (seen.has(key)) throw new RangeError(`${it.topic}-${it.partition} appears twice in one produce`)
      seen.add(key)
    }
    // Synchronously, before any await: stamps follow the order of produce() calls per partition.
    for (const it of items) this.stamp(it)
    await this.ensureMetadata(items)
    const byLeader = new Map<number, number[]>()
    let stale = false
    items.forEach((it, i) => {
      const leader = this.client.leaderOf(it.topic, it.partition)
      if (leader === undefined) {
        // A topic the target does not serve (deleted, say) was just asked for by ensureMetadata:
        // its batches wait for the caller's retry, which asks again.
        const reason = this.client.unavailableReason(it.topic)
        out[i] = {
          ok: false, retriable: true,
          error: new Error(reason === undefined
            ? `no leader known for ${it.topic}-${it.partition} on the target`
            : `the target does not serve topic ${it.topic} (${reason}); its batches wait until it exists again`),
        }
        stale ||= reason === undefined
        return
      }
      let l = byLeader.get(leader)
      if (l === undefined) byLeader.set(leader, (l = []))
      l.push(i)
    })
    await Promise.all([...byLeader].map(async ([leader, idx]) => {
      const r = await this.sendTo(leader, idx.map((i) => items[i]))
      idx.forEach((i, k) => { out[i] = r.outcomes[k] })
      stale ||= r.stale
    }))
    if (stale) await this.refresh(items.map((it) => it.topic))
    return out
  }

  /**
   * Gives an item this producer's id, epoch and the partition's next sequence, in place, unless
   * it already carries a stamp of the current producer id (a retry keeps its bytes).
   */
  stamp(it: PartitionBatch): void {
    if (it.stamp?.generation === this.generation) return
    const key = `${it.topic}\u0000${it.partition}`
    const sequence = this.sequences.get(key) ?? 0
    stampBatch(it.batch, this.producerId, this.producerEpoch, sequence)
    this.sequences.set(key, nextSequence(sequence, batchSequenceSpan(it.batch)))
    it.stamp = { generation: this.generation, sequence }
  }

  private async sendTo(leader: number, items: PartitionBatch[]): Promise<{ outcomes: ProduceOutcome[]; stale: boolean }> {
    const topics = new Map<string, ProduceTopicData>()
    let zstd = false
    for (const it of items) {
      let t = topics.get(it.topic)
      if (t === undefined) topics.set(it.topic, (t = { topic: it.topic, partitions: [] }))
      t.partitions.push({ partition: it.partition, batch: it.batch })
      zstd ||= batchCodec(it.batch) === ZSTD
    }
    const version = zstd ? 7 : 3
    let result
    try {
      const request = produceRequest({ version, acks: -1, timeoutMs: this.timeoutMs, topics: [...topics.values()] })
      // The client waits a little longer than the broker may, so a slow ISR answers with REQUEST_TIMED_OUT first.
      result = await this.client.send(leader, request, produceResponse(version), this.timeoutMs + 5000)
    } catch (err) {
      // Connection lost, request timed out, node gone: the same bytes may go again (deduplicated if
      // they were appended). A refusal of the request version is final.
      const retriable = (err as { code?: string }).code !== 'MIRROR_WIRE_VERSION' || isRetriable(err)
      return { outcomes: items.map(() => ({ ok: false, retriable, error: err as Error })), stale: true }
    }
    const codes = new Map<string, { errorCode: number; baseOffset: number }>()
    for (const t of result.topics) for (const p of t.partitions) codes.set(`${t.topic}\u0000${p.partition}`, p)
    let stale = false
    const outcomes = items.map((it): ProduceOutcome => {
      const r = codes.get(`${it.topic}\u0000${it.partition}`)
      if (r === undefined) { stale = true; return { ok: false, retriable: true, error: new Error(`no answer for ${it.topic}-${it.partition} from node ${leader}`) } }
      if (r.errorCode === 0) return { ok: true, baseOffset: r.baseOffset }
      const kafkaErr = createErrorFromCode(r.errorCode)
      if (RETRIABLE.has(r.errorCode)) { stale = true; return { ok: false, retriable: true, error: kafkaErr } }
      if (RESTART.has(r.errorCode)) return { ok: false, retriable: true, restart: true, error: kafkaErr }
      const hint = HINTS[r.errorCode] ?? (kafkaErr.retriable ? 'retrying cannot help with the same bytes' : 'fix the target cluster\'s settings or permissions for this topic')
      return {
        ok: false, retriable: false,
        error: new RawProduceError(`target refused a batch for ${it.topic}-${it.partition} (${batchRecordCount(it.batch)} records, ${it.batch.length} bytes): ${kafkaErr.type} (${r.errorCode}); ${hint}`, { cause: kafkaErr }),
      }
    })
    return { outcomes, stale }
  }

  /**
   * A new producer id and sequences from 0, once per generation however many partitions report
   * the error: nothing happens when the producer already moved past `fromGeneration` (the
   * generation of the failed item's stamp).
   */
  restart(fromGeneration: number): Promise<void> {
    if (this.generation !== fromGeneration) return Promise.resolve()
    if (this.restartingNow === undefined) this.o.log.warn({ producerId: String(this.producerId) }, 'target refused the producer id or sequence; restarting the producer (records in flight may be written twice)')
    return this.renew(fromGeneration)
  }

  private renew(fromGeneration: number): Promise<void> {
    if (this.generation !== fromGeneration) return Promise.resolve()
    this.restartingNow ??= this.initProducerId().then(({ producerId, producerEpoch }) => {
      this.producerId = producerId
      this.producerEpoch = producerEpoch
      this.sequences.clear()
      this.generation++
    }).finally(() => { this.restartingNow = undefined })
    return this.restartingNow
  }

  private async initProducerId(): Promise<{ producerId: bigint; producerEpoch: number }> {
    let backoff = 100
    const deadline = Date.now() + this.timeoutMs
    for (;;) {
      try {
        let nodes = this.client.nodeIds()
        if (nodes.length === 0) { await this.client.refreshMetadata([]); nodes = this.client.nodeIds() }
        const node = nodes[Math.floor(Math.random() * nodes.length)]
        const { request, response } = initProducerId({ transactionalId: null, transactionTimeout: this.timeoutMs })
        const r = await this.client.send<{ producerId: string; producerEpoch: number }>(node, request, response)
        return { producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch }
      } catch (err) {
        if (Date.now() + backoff > deadline || (err as { retriable?: boolean }).retriable === false) throw err
        await new Promise((r) => setTimeout(r, backoff))
        backoff = Math.min(backoff * 2, 2000)
      }
    }
  }

  /** Loads metadata for topics not loaded yet, or whose partition is beyond what is known (added since). */
  private async ensureMetadata(items: PartitionBatch[]): Promise<void> {
    const missing = new Set<string>()
    for (const it of items) {
      const n = this.client.partitionCount(it.topic)
      if (n === undefined || it.partition >= n) missing.add(it.topic)
    }
    if (missing.size > 0) await this.refresh([...missing])
  }

  /** One metadata load at a time; a failure is left to the next send (its items fail as retriable). */
  private async refresh(topics: string[]): Promise<void> {
    while (this.refreshing !== undefined) await this.refreshing
    this.refreshing = this.client.refreshMetadata([...new Set(topics)])
      .then(() => undefined, (err: unknown) => this.o.log.debug({ err }, 'target metadata refresh failed'))
      .finally(() => { this.refreshing = undefined })
    await this.refreshing
  }
}
