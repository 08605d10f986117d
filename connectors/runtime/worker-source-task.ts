// Runs a SourceTask: poll -> produce (idempotent, acks=all) -> once acknowledged, remember each
// source partition's latest offset -> every offset.flush.interval.ms and on stop, write those
// offsets to the offset store and call task.commit(). Offsets are never written for records the
// broker has not acknowledged, so a crash can duplicate records but never lose them.
// A task that writes to Kafka itself (SelfWritingSourceTask, a Godwit extension) takes the place of
// poll -> produce: the worker drives pollAndWrite() and commits the offsets the task reports acknowledged.
import { Partitioners, type Admin, type Message, type PartitionMetadata, type Producer } from 'kafkajs'
import { SourceTask, isSelfWritingSourceTask, type RecordMetadata, type SelfWritingSourceTask, type SourceOffset, type SourcePartition, type SourceRecord, type SourceTaskClass } from '../api'
import type { OffsetStore, TargetState } from '../storage'
import { stableJson } from '../storage'
import { toKafkaHeaders } from '../kafka/headers'
import { backoffDelay, isRetriableError } from './backoff'
import { describeClientFailure } from './worker-clients'
import { splitIntoRequests } from './send-chunks'
import { RetryWithToleranceOperator, LogReporter } from './tolerance'
import { WorkerTask, type TaskRunnerContext } from './worker-task'

/** Produce requests queued at once: the next polls overlap the previous request's round trip. */
const MAX_IN_FLIGHT = 4

interface InFlight {
  records: SourceRecord[]
  partitions: number[]
  sent: Promise<RecordMetadata[] | undefined>
}

export class WorkerSourceTask extends WorkerTask {
  private task: SourceTask | undefined
  /** Set when the task writes to Kafka itself: no producer here, offsets come from its acknowledgements. */
  private selfWriting: SelfWritingSourceTask | undefined
  private producer: Producer | undefined
  private admin: Admin | undefined
  private readonly inFlight: InFlight[] = []
  /** Latest acknowledged offset per source partition, not yet committed. */
  private readonly pending = new Map<string, { partition: SourcePartition; offset: SourceOffset }>()
  private readonly partitionCounts = new Map<string, number>()
  private readonly metadataCache = new Map<string, PartitionMetadata[]>()
  private readonly partitioner = Partitioners.DefaultPartitioner()
  private lastCommit = 0
  /**
   * Sends run one after another: kafkajs's idempotent producer reads a partition's sequence number
   * when a send starts and advances it when the response arrives, so two concurrent sends to one
   * partition share a sequence and the broker drops the second as a duplicate.
   */
  private sendChain: Promise<unknown> = Promise.resolve()
  /** In-order processing of acknowledgements; `failure` is a send that cannot be retried. */
  private completion: Promise<void> = Promise.resolve()
  private failure: Error | undefined
  private readonly operator: RetryWithToleranceOperator

  constructor(ctx: TaskRunnerContext, initialState: TargetState, private readonly taskClass: SourceTaskClass, private readonly offsets: OffsetStore) {
    super(ctx, initialState)
    const c = ctx.connectorConfig
    this.operator = new RetryWithToleranceOperator({
      retryTimeoutMs: Number(c['errors.retry.timeout'] ?? 0),
      retryMaxDelayMs: Number(c['errors.retry.delay.max.ms'] ?? 60000),
      tolerance: c['errors.tolerance'] === 'all' ? 'all' : 'none',
      reporters: c['errors.log.enable'] === 'true' ? [new LogReporter(this.log, c['errors.log.include.messages'] === 'true')] : [],
      signal: this.abort.signal,
      clock: this.clock,
      onError: (f) => ctx.metrics.recordErrors.inc({ ...this.labels, stage: f.stage }),
      onRetry: () => ctx.metrics.retries.inc(this.labels),
    })
  }

  protected async execute(): Promise<void> {
    const { connector, task: taskId } = this.id
    this.task = new this.taskClass()
    const offsets = this.offsets
    this.task.initialize({
      connector,
      taskId,
      config: this.ctx.taskConfig,
      offsetStorageReader: {
        offset: async (p) => (await offsets.get(connector, [p]))[0],
        offsets: (ps) => offsets.get(connector, ps),
      },
    })
    const task = this.task
    if (isSelfWritingSourceTask(task) && task.writeItself({ ...this.ctx.clients.props.producer }, { acknowledged: (n, acked) => this.acknowledged(n, acked) })) {
      this.selfWriting = task
      this.ctx.metrics.sourceTaskWritesItself.set(this.labels, 1)
      this.log.info('source task writes to Kafka itself (the worker drives pollAndWrite and commits what it acknowledges)')
    }
    await this.task.start(this.ctx.taskConfig)
    if (this.selfWriting === undefined) await this.connectClients()
    this.report(this.targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING')
    this.lastCommit = this.clock.now()
    const interval = this.ctx.workerConfig['offset.flush.interval.ms']
    while (!this.stopping) {
      if (this.targetState === 'PAUSED') {
        await this.selfWriting?.flushWrites()
        await this.drainAndCommit()
        await this.waitWhilePaused()
        continue
      }
      if (this.clock.now() - this.lastCommit >= interval) await this.drainAndCommit()
      if (this.selfWriting !== undefined) {
        const n = await this.pollWithRetry(() => this.selfWriting!.pollAndWrite(), 0)
        if (n > 0) {
          this.ctx.metrics.sourceRecordsPolled.inc(this.labels, n)
          this.ctx.metrics.batchSize.observe(this.labels, n)
        }
        continue
      }
      const records = await this.pollWithRetry(() => this.task!.poll(), null)
      if (this.failure !== undefined) throw this.failure
      if (records === null || records.length === 0) continue
      this.ctx.metrics.sourceRecordsPolled.inc(this.labels, records.length)
      this.ctx.metrics.batchSize.observe(this.labels, records.length)
      await this.send(records)
    }
    // Graceful stop: everything polled is sent, acknowledged and committed before the task stops.
    await this.selfWriting?.flushWrites()
    await this.drainAndCommit()
    await this.task.stop()
    await this.closeClients()
    this.ctx.metrics.sourceTaskWritesItself.remove(this.labels)
  }

  /** A self-writing task may be waiting on its own producer (a target outage): it is told to end that wait. */
  override stop(): void {
    super.stop()
    this.selfWriting?.wakeup?.()
  }

  protected async cleanupAfterFailure(): Promise<void> {
    this.ctx.metrics.sourceTaskWritesItself.remove(this.labels)
    try { await this.task?.stop() } finally { await this.closeClients() }
  }

  private async connectClients(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        this.producer ??= this.ctx.clients.producer.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 5 } })
        await this.producer.connect()
        this.admin ??= this.ctx.clients.admin.admin()
        await this.admin.connect()
        this.reportRetrying(undefined)
        return
      } catch (e) {
        if (!isRetriableError(e)) throw describeClientFailure(e, this.ctx.clients, this.admin === undefined ? 'producer' : 'admin')
        this.reportRetrying(e as Error)
        this.ctx.metrics.retries.inc(this.labels)
        await this.clock.sleep(backoffDelay(attempt, Number(this.ctx.connectorConfig['errors.retry.delay.max.ms'] ?? 60000)), this.abort.signal)
      }
    }
  }

  private async closeClients(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined)
    await this.admin?.disconnect().catch(() => undefined)
  }

  private async pollWithRetry<T>(poll: () => Promise<T>, none: T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await poll()
      } catch (e) {
        // Connect retries a RetriableException from poll() as often as it takes.
        if (!isRetriableError(e) || this.stopping) throw e
        this.ctx.metrics.retries.inc(this.labels)
        this.log.warn({ err: e }, 'poll() failed with a retriable error; retrying')
        await this.clock.sleep(backoffDelay(attempt, Number(this.ctx.connectorConfig['errors.retry.delay.max.ms'] ?? 60000)), this.abort.signal)
        if (this.stopping) return none
      }
    }
  }

  /**
   * Queues a poll's records as one or more produce requests, each under max.request.size (a poll
   * may hold far more than the broker's message.max.bytes); waits for the oldest request when too
   * many are in flight. The requests go out one after another (sendChain), in poll order.
   */
  private async send(records: SourceRecord[]): Promise<void> {
    const partitions = await this.choosePartitions(records)
    for (const chunk of splitIntoRequests(records, partitions, this.ctx.workerConfig['producer.max.request.size'])) {
      if (this.failure !== undefined) return
      this.inFlight.push({ ...chunk, sent: this.produce(chunk.records, chunk.partitions) })
      // Each acknowledgement is accounted for (commitRecord, pending offsets) as soon as it arrives,
      // in order, while the loop goes on polling.
      this.completion = this.completion.then(() => this.completeOldest()).catch((e: unknown) => { this.failure ??= e as Error })
      while (this.inFlight.length > MAX_IN_FLIGHT && this.failure === undefined) await this.completion
    }
  }

  private produce(records: SourceRecord[], partitions: number[]): Promise<RecordMetadata[] | undefined> {
    const run = this.sendChain.then(() => this.produceUntilWritten(records, partitions), () => this.produceUntilWritten(records, partitions))
    this.sendChain = run.catch(() => undefined)
    return run
  }

  /**
   * Resends a batch after a retriable failure before the chain moves on, as Connect keeps unsent
   * records and sends them before anything newer: otherwise later batches land first and a
   * partition's records are reordered. Non-retriable errors go to completeOldest.
   */
  private async produceUntilWritten(records: SourceRecord[], partitions: number[]): Promise<RecordMetadata[] | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        const metadata = await this.produceNow(records, partitions)
        this.reportRetrying(undefined)
        return metadata
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e))
        if (this.failed || !isRetriableError(err)) throw err
        this.reportRetrying(err)
        this.ctx.metrics.retries.inc(this.labels)
        if (attempt === 0) this.log.warn({ err }, 'Failed to send records; retrying with backoff until they are written (nothing newer is sent, nothing is committed meanwhile)')
        await this.clock.sleep(backoffDelay(attempt, Number(this.ctx.connectorConfig['errors.retry.delay.max.ms'] ?? 60000)))
      }
    }
  }

  private async produceNow(records: SourceRecord[], partitions: number[]): Promise<RecordMetadata[] | undefined> {
    const byTopic = new Map<string, Message[]>()
    records.forEach((r, i) => {
      let list = byTopic.get(r.topic)
      if (list === undefined) byTopic.set(r.topic, (list = []))
      list.push(toMessage(r, partitions[i]))
    })
    const now = this.clock.now()
    const meta = await this.producer!.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })
    // Offsets within one request are consecutive per partition, in the order the records were given.
    const next = new Map<string, number>()
    for (const m of meta) next.set(`${m.topicName}-${m.partition}`, Number(m.baseOffset))
    return records.map((r, i) => {
      const key = `${r.topic}-${partitions[i]}`
      const offset = next.get(key) ?? -1
      if (offset >= 0) next.set(key, offset + 1)
      return { topic: r.topic, partition: partitions[i], offset, timestamp: r.timestamp ?? now }
    })
  }

  /** Waits for the oldest in-flight batch (resent until written unless the error is not retriable). */
  private async completeOldest(): Promise<void> {
    const head = this.inFlight[0]
    let metadata: RecordMetadata[] | undefined
    try {
      metadata = await head.sent
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e))
      if (this.failed) throw err
      // Non-retriable (e.g. record too large): fail the task, or skip the batch when tolerated.
      await this.operator.fail({ stage: 'KAFKA_PRODUCE', className: this.taskClass.name, error: err, record: head.records[0] })
      this.ctx.metrics.recordsSkipped.inc(this.labels, head.records.length)
    }
    this.inFlight.shift()
    this.ctx.metrics.sourceRecordsWritten.inc(this.labels, metadata === undefined ? 0 : head.records.length)
    // Source partitions are usually one shared object per batch: stringify each object once.
    const keys = new Map<SourcePartition, string>()
    const hasCommitRecord = this.task!.commitRecord !== SourceTask.prototype.commitRecord
    for (let i = 0; i < head.records.length; i++) {
      const r = head.records[i]
      let key = keys.get(r.sourcePartition)
      if (key === undefined) keys.set(r.sourcePartition, (key = stableJson(r.sourcePartition)))
      this.pending.set(key, { partition: r.sourcePartition, offset: r.sourceOffset })
      if (hasCommitRecord) await this.task!.commitRecord(r, metadata === undefined ? null : metadata[i])
    }
  }

  /** A self-writing task's acknowledgements: counted as written, offsets pending until the next commit. */
  private acknowledged(records: number, acked: Array<{ partition: SourcePartition; offset: SourceOffset }>): void {
    if (this.failed) return
    this.ctx.metrics.sourceRecordsWritten.inc(this.labels, records)
    for (const a of acked) this.pending.set(stableJson(a.partition), { partition: a.partition, offset: a.offset })
  }

  /** Waits for every in-flight batch, then writes the acknowledged offsets and calls task.commit(). */
  private async drainAndCommit(): Promise<void> {
    await this.completion
    if (this.failure !== undefined) throw this.failure
    this.lastCommit = this.clock.now()
    if (this.pending.size === 0) return
    const entries = [...this.pending.values()]
    const started = this.clock.now()
    try {
      await this.offsets.set(this.id.connector, entries)
      for (const e of entries) {
        const key = stableJson(e.partition)
        if (this.pending.get(key) === e) this.pending.delete(key)
      }
      this.ctx.metrics.offsetCommitSuccesses.inc(this.labels)
      this.ctx.metrics.offsetCommitLatency.observe(this.labels, this.clock.now() - started)
      await this.task!.commit()
    } catch (e) {
      // Kept pending: the next commit writes them (or a restart re-sends the records).
      this.ctx.metrics.offsetCommitFailures.inc(this.labels)
      this.log.warn({ err: e }, 'Failed to commit source offsets; will retry at the next interval')
    }
  }

  /** Chooses each record's partition up front (as the producer would) so commitRecord gets exact offsets. */
  private async choosePartitions(records: SourceRecord[]): Promise<number[]> {
    const out = new Array<number>(records.length)
    for (let i = 0; i < records.length; i++) {
      const r = records[i]
      if (r.partition !== undefined && r.partition !== null) { out[i] = r.partition; continue }
      const meta = await this.partitionMetadata(r.topic)
      out[i] = meta.length === 1 ? 0 : this.partitioner({ topic: r.topic, partitionMetadata: meta, message: { key: r.key, value: r.value } })
    }
    return out
  }

  private async partitionMetadata(topic: string): Promise<PartitionMetadata[]> {
    let meta = this.metadataCache.get(topic)
    if (meta === undefined) {
      const n = await this.partitionCount(topic)
      meta = Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }))
      this.metadataCache.set(topic, meta)
    }
    return meta
  }

  private async partitionCount(topic: string): Promise<number> {
    const cached = this.partitionCounts.get(topic)
    if (cached !== undefined) return cached
    if (!(await this.admin!.listTopics()).includes(topic)) {
      // A missing topic is created as a broker would auto-create it (one partition, broker-default
      // replication), which is what Connect does without topic.creation.* settings.
      await this.admin!.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: -1 }] }).catch(() => undefined)
    }
    let n = 0
    for (let attempt = 0; n === 0; attempt++) {
      try {
        const md = await this.admin!.fetchTopicMetadata({ topics: [topic] })
        n = md.topics[0]?.partitions.length ?? 0
      } catch (e) {
        if (!isRetriableError(e) || attempt > 20) throw e
      }
      if (n === 0) await this.clock.sleep(backoffDelay(attempt, 5000), this.abort.signal)
    }
    this.partitionCounts.set(topic, n)
    return n
  }
}

function toMessage(r: SourceRecord, partition: number): Message {
  const m: Message = { key: r.key, value: r.value, partition }
  if (r.timestamp !== undefined && r.timestamp !== null) m.timestamp = String(r.timestamp)
  const headers = toKafkaHeaders(r.headers)
  if (headers !== undefined) m.headers = headers
  return m
}
