// The thinnest worker that runs one MM2 source task: poll, produce to the target cluster in order
// (with the codec the record asks for), tell the task what was acknowledged, and commit source
// offsets only for acknowledged records. Godwit's Connect worker can host the same connectors;
// this runner exists so the mirror keeps each source topic's compression and exact offsets.
import { CompressionTypes, type Producer, type Message } from 'kafkajs'
import { createLogger, isRetriable, type Logger } from '../../config'
import type { ConnectorProps, RecordMetadata, SourceOffset, SourcePartition, SourceRecord, SourceTask, SourceTaskClass } from '../../connectors/api'
import type { OffsetStore } from '../../connectors/storage'
import type { MirrorSourceRecord } from '../connectors'
import { isRawBatchSourceTask, type RawBatchSourceTask } from '../connectors/mirror-batch'
import { RawBatchSender } from './raw-batch-sender'
import type { MirrorMetrics } from './mirror-metrics'
import { TaskMetrics } from './task-metrics'

const CODECS: Record<string, CompressionTypes> = {
  gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD,
}

/** Polled key+value bytes that may wait for acknowledgement before the runner stops polling. */
const MAX_UNACKED_BYTES = 4 * 1024 * 1024

/** Requests stay well under a broker's default max.message.bytes (1 MiB) per partition batch. */
const MAX_REQUEST_BYTES = 512 * 1024

function recordBytes(r: SourceRecord): number {
  let n = 64 + (r.key?.length ?? 0) + (r.value?.length ?? 0)
  for (const h of r.headers ?? []) n += h.key.length + (h.value?.length ?? 0) + 8
  return n
}

/** Splits records into in-order runs of bounded size. */
function chunks(recs: SourceRecord[]): SourceRecord[][] {
  const out: SourceRecord[][] = []
  let cur: SourceRecord[] = []
  let bytes = 0
  for (const r of recs) {
    const n = recordBytes(r)
    if (cur.length > 0 && bytes + n > MAX_REQUEST_BYTES) { out.push(cur); cur = []; bytes = 0 }
    cur.push(r)
    bytes += n
  }
  if (cur.length > 0) out.push(cur)
  return out
}

export interface TaskRunnerOptions {
  connector: string
  taskId: number
  taskClass: SourceTaskClass
  props: ConnectorProps
  /** A new producer towards the target (each task has its own; a fresh one also has fresh metadata). */
  makeProducer: () => Producer
  offsets: OffsetStore
  flushIntervalMs: number
  /** Present for the replication task: records each acknowledged record. */
  metrics?: { metrics: MirrorMetrics; source: string; target: string }
}

export class TaskRunner {
  private task: SourceTask | undefined
  private producer: Producer | undefined
  private loop: Promise<void> = Promise.resolve()
  private stopping = false
  private pending = new Map<string, { partition: SourcePartition; offset: SourceOffset }>()
  private nextFlush = 0
  private readonly log: Logger
  /** Present when the task hands out raw batches (a policy that leaves records unchanged). */
  private rawSender: RawBatchSender | undefined
  private readonly metrics: TaskMetrics | undefined

  constructor(private readonly o: TaskRunnerOptions) {
    this.log = createLogger('mirror-task-runner', { connector: o.connector, task: o.taskId })
    this.metrics = o.metrics === undefined ? undefined : new TaskMetrics(o.metrics)
  }

  async start(): Promise<void> {
    const { connector, taskId, props, offsets } = this.o
    const task = new this.o.taskClass()
    task.initialize({
      connector, taskId, config: props,
      offsetStorageReader: {
        offset: async (p) => (await offsets.get(connector, [p]))[0] ?? null,
        offsets: (ps) => offsets.get(connector, ps),
      },
    })
    // The raw path (records moved as bytes) when the task's policy allows it; its own producer.
    const rawTarget = isRawBatchSourceTask(task) ? task.rawTarget(props) : undefined
    if (rawTarget !== undefined) {
      this.rawSender = new RawBatchSender({
        target: rawTarget, isStopping: () => this.stopping, log: this.log,
        onAck: (b, base) => {
          ;(this.task as unknown as RawBatchSourceTask).commitRawBatch(b, base)
          this.metrics?.ackedRaw(b)
          // The last record's downstream offset too: a restart skips what the target already has (exact-resume.ts).
          const last = b.offsets.length - 1
          this.pending.set(b.sourceKey, { partition: b.sourcePartition, offset: { offset: b.offsets[last], downstream: base + last } })
        },
      })
      // A target partition that refuses writes for long (its topic deleted) holds its source only.
      const sender = this.rawSender
      if (isRawBatchSourceTask(task)) task.holdRaw?.((key) => sender.held(key))
    }
    // The raw path's sender connects while the task starts; other tasks' records go through a kafkajs producer.
    if (this.rawSender === undefined) {
      this.producer = this.o.makeProducer()
      await this.producer.connect()
    }
    try {
      const started = await Promise.allSettled([task.start(props), this.rawSender?.connect()])
      const failed = started.find((x): x is PromiseRejectedResult => x.status === 'rejected')
      if (failed !== undefined) throw failed.reason
    } catch (err) {
      // Close whatever the task opened before failing; the connector runner retries.
      await Promise.resolve(task.stop()).catch(() => undefined)
      await this.rawSender?.close().catch(() => undefined)
      await this.producer?.disconnect().catch(() => undefined)
      throw err
    }
    this.task = task
    this.nextFlush = Date.now() + this.o.flushIntervalMs
    this.loop = this.run()
  }

  private async run(): Promise<void> {
    let backoff = 100
    while (!this.stopping) {
      try {
        const task = this.task!
        if (this.rawSender !== undefined && isRawBatchSourceTask(task) && task.rawPath) await this.sendRawBatches(task, this.rawSender)
        else {
          const records = await task.poll()
          if (records !== null && records.length > 0) await this.send(records)
        }
        if (Date.now() >= this.nextFlush) await this.flush()
        backoff = 100
      } catch (err) {
        this.log.warn({ err, retriable: isRetriable(err) }, 'task poll failed; retrying')
        await new Promise((r) => setTimeout(r, backoff))
        backoff = Math.min(backoff * 2, 5000)
      }
    }
  }

  /**
   * The raw path: batches as bytes, produced while the next poll runs. Source offsets and offset
   * syncs follow acknowledgements only.
   */
  private async sendRawBatches(task: RawBatchSourceTask, sender: RawBatchSender): Promise<void> {
    const batches = await task.pollRawBatches()
    if (this.metrics !== undefined) for (const b of batches) this.metrics.polledRaw(b)
    if (batches.length > 0) sender.enqueue(batches)
    await sender.waitBelow(MAX_UNACKED_BYTES)
  }

  /** Produces records in order; retries until acknowledged (nothing is skipped) or the runner stops. */
  private async send(records: SourceRecord[]): Promise<void> {
    const groups = new Map<string, SourceRecord[]>()
    for (const r of records) {
      const codec = (r as MirrorSourceRecord).compression ?? 'none'
      const list = groups.get(codec)
      if (list === undefined) groups.set(codec, [r])
      else list.push(r)
    }
    for (const [codec, all] of groups) {
      for (const recs of chunks(all)) {
        const metas = await this.produce(codec, recs)
        if (metas === undefined) return
        for (let i = 0; i < recs.length; i++) {
          const r = recs[i]
          await this.task!.commitRecord(r, metas[i])
          this.metrics?.ackedRecord(r)
          this.pending.set(JSON.stringify(r.sourcePartition), { partition: r.sourcePartition, offset: r.sourceOffset })
        }
      }
    }
  }

  /**
   * Sends records and returns each one's metadata. kafkajs silently leaves out partitions its
   * metadata does not know yet (a partition just added): those records are sent again through a
   * fresh producer, so nothing is skipped and per-partition order holds.
   */
  private async produce(codec: string, recs: SourceRecord[]): Promise<RecordMetadata[] | undefined> {
    const metas: Array<RecordMetadata | undefined> = new Array(recs.length)
    let todo = recs.map((_, i) => i)
    let backoff = 100
    while (todo.length > 0) {
      if (this.stopping) return undefined
      try {
        const base = await this.sendBatch(codec, todo.map((i) => recs[i]))
        const seen = new Map<string, number>()
        const missing: number[] = []
        for (const i of todo) {
          const r = recs[i]
          const key = `${r.topic}\u0000${r.partition ?? 0}`
          const b = base.get(key)
          if (b === undefined) { missing.push(i); continue }
          const n = seen.get(key) ?? 0
          seen.set(key, n + 1)
          metas[i] = { topic: r.topic, partition: r.partition ?? 0, offset: b + n, timestamp: r.timestamp ?? -1 }
        }
        todo = missing
        if (missing.length > 0) {
          this.log.info({ records: missing.length }, 'target partitions unknown to the producer yet; refreshing it')
          await this.renewProducer()
        }
        backoff = 100
      } catch (err) {
        if (this.stopping) return undefined
        this.log.warn({ err }, 'producing to the target failed; retrying')
        await new Promise((r) => setTimeout(r, backoff))
        backoff = Math.min(backoff * 2, 5000)
        if (backoff >= 1600) await this.renewProducer().catch(() => undefined)
      }
    }
    return metas as RecordMetadata[]
  }

  private async sendBatch(codec: string, recs: SourceRecord[]): Promise<Map<string, number>> {
    const byTopic = new Map<string, Message[]>()
    for (const r of recs) {
      const headers: Record<string, Buffer[]> = {}
      for (const h of r.headers ?? []) (headers[h.key] ??= []).push(h.value ?? Buffer.alloc(0))
      const msg: Message = {
        key: r.key, value: r.value,
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
        ...(r.partition !== undefined && r.partition !== null ? { partition: r.partition } : {}),
        ...(r.timestamp !== undefined && r.timestamp !== null ? { timestamp: String(r.timestamp) } : {}),
      }
      const list = byTopic.get(r.topic)
      if (list === undefined) byTopic.set(r.topic, [msg])
      else list.push(msg)
    }
    const res = await this.producer!.sendBatch({
      acks: -1,
      compression: CODECS[codec] ?? CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    })
    // Each partition's records form one batch: base offset plus the record's index within it.
    return new Map(res.map((m) => [`${m.topicName}\u0000${m.partition}`, Number(m.baseOffset)]))
  }

  private async renewProducer(): Promise<void> {
    const old = this.producer
    this.producer = this.o.makeProducer()
    await old?.disconnect().catch(() => undefined)
    await this.producer.connect()
  }

  /** Commits source offsets of every acknowledged record, then lets the task commit (offset syncs). */
  async flush(): Promise<void> {
    this.nextFlush = Date.now() + this.o.flushIntervalMs
    const entries = [...this.pending.values()]
    this.pending.clear()
    if (entries.length > 0) await this.o.offsets.set(this.o.connector, entries)
    await this.task?.commit()
  }

  async stop(): Promise<void> {
    // Let the loop finish its poll (bounded by consumer.poll.timeout.ms) and commit everything
    // acknowledged, offset syncs included, before the task closes its clients.
    this.stopping = true
    ;(this.task as { wakeup?: () => void } | undefined)?.wakeup?.()
    await this.loop
    await this.rawSender?.idle()
    await this.flush().catch((err: unknown) => this.log.error({ err }, 'final offset commit failed'))
    await this.task?.stop()
    await this.rawSender?.close()
    await this.producer?.disconnect().catch(() => undefined)
  }
}
