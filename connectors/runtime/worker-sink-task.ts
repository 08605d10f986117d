// Runs a SinkTask: a kafkajs consumer in group connect-<connector> (autoCommit off) delivers
// batches to put(); every offset.flush.interval.ms and on stop the runner asks preCommit() which
// offsets are flushed and commits exactly those. Records the task failed on are retried, skipped or
// sent to the dead-letter queue according to errors.*.
import type { Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs'
import type { Header, SinkRecord, SinkTask, SinkTaskClass, TopicPartition, TopicPartitionOffset } from '../api'
import { tpKey } from '../api'
import type { TargetState } from '../storage'
import { backoffDelay, isRetriableError } from './backoff'
import { DeadLetterQueueReporter } from './dead-letter-queue'
import { describeClientFailure } from './worker-clients'
import { LogReporter, RetryWithToleranceOperator, type ErrorReporter } from './tolerance'
import { WorkerTask, type TaskRunnerContext } from './worker-task'

export const sinkGroupId = (connector: string): string => `connect-${connector}`

export class WorkerSinkTask extends WorkerTask {
  private task: SinkTask | undefined
  private consumer: Consumer | undefined
  private dlq: DeadLetterQueueReporter | undefined
  private readonly operator: RetryWithToleranceOperator
  private assignment = new Map<string, TopicPartition>()
  /** Next offset to consume per partition, for everything put() so far. */
  private readonly current = new Map<string, TopicPartitionOffset>()
  private readonly committed = new Map<string, number>()
  /** Where each partition restarts if a flush fails: its last committed offset, or the first offset delivered. */
  private readonly rewindTo = new Map<string, TopicPartitionOffset>()
  private readonly pausedByTask = new Set<string>()
  private seeks: TopicPartitionOffset[] = []
  private commitRequested = false
  private lastCommit = 0
  private commitChain: Promise<void> = Promise.resolve()
  private batchDone: Promise<void> = Promise.resolve()
  private assignmentDone: Promise<void> = Promise.resolve()
  private crash: ((e: Error) => void) | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(ctx: TaskRunnerContext, initialState: TargetState, private readonly taskClass: SinkTaskClass) {
    super(ctx, initialState)
    const c = ctx.connectorConfig
    const reporters: ErrorReporter[] = []
    if (c['errors.log.enable'] === 'true') reporters.push(new LogReporter(this.log, c['errors.log.include.messages'] === 'true'))
    const dlqTopic = c['errors.deadletterqueue.topic.name'] ?? ''
    if (dlqTopic !== '') {
      this.dlq = new DeadLetterQueueReporter({
        kafka: ctx.clients.producer, adminKafka: ctx.clients.admin, topic: dlqTopic, connector: ctx.id.connector, taskId: ctx.id.task,
        replicationFactor: Number(c['errors.deadletterqueue.topic.replication.factor'] ?? 3),
        contextHeaders: c['errors.deadletterqueue.context.headers.enable'] === 'true',
        onWritten: () => ctx.metrics.dlqProduceRequests.inc(this.labels),
        onFailed: () => ctx.metrics.dlqProduceFailures.inc(this.labels),
      })
      reporters.push(this.dlq)
    }
    this.operator = new RetryWithToleranceOperator({
      retryTimeoutMs: Number(c['errors.retry.timeout'] ?? 0),
      retryMaxDelayMs: Number(c['errors.retry.delay.max.ms'] ?? 60000),
      tolerance: c['errors.tolerance'] === 'all' ? 'all' : 'none',
      reporters,
      clock: this.clock,
      signal: this.abort.signal,
      onError: (f, tolerated) => {
        ctx.metrics.recordErrors.inc({ ...this.labels, stage: f.stage })
        if (tolerated) ctx.metrics.recordsSkipped.inc(this.labels)
      },
      onRetry: () => ctx.metrics.retries.inc(this.labels),
    })
  }

  protected async execute(): Promise<void> {
    const { connector, task: taskId } = this.id
    this.task = new this.taskClass()
    this.task.initialize({
      connector,
      taskId,
      config: this.ctx.taskConfig,
      assignment: () => [...this.assignment.values()],
      offset: (offsets) => { this.seeks.push(...offsets) },
      pause: (tps) => { for (const tp of tps) this.pausedByTask.add(tpKey(tp)); this.applyPauses() },
      resume: (tps) => { for (const tp of tps) this.pausedByTask.delete(tpKey(tp)); this.applyPauses() },
      requestCommit: () => { this.commitRequested = true },
      errantRecordReporter: this.operator.toleratesAll
        ? async (record, error) => { await this.operator.fail({ stage: 'TASK_PUT', className: this.taskClass.name, error, record }) }
        : undefined,
    })
    await this.task.start(this.ctx.taskConfig)
    const crashed = new Promise<never>((_, reject) => { this.crash = reject })
    crashed.catch(() => undefined)
    await Promise.race([this.startConsumer(), crashed])
    this.report(this.targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING')
    if (this.targetState === 'PAUSED') this.onPause()
    this.lastCommit = this.clock.now()
    this.timer = setInterval(() => { void this.maybeCommit(false) }, Math.min(1000, this.ctx.workerConfig['offset.flush.interval.ms']))
    // Runs until stop() (or a consumer crash, which rejects and fails the task).
    await Promise.race([new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true })), crashed])
    clearInterval(this.timer)
    await this.batchDone
    await this.commit()
    await this.task.close([...this.assignment.values()])
    await this.task.stop()
    await this.closeClients()
  }

  protected async cleanupAfterFailure(): Promise<void> {
    clearInterval(this.timer)
    try { await this.task?.stop() } finally { await this.closeClients() }
  }

  private async closeClients(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined)
    await this.dlq?.stop().catch(() => undefined)
  }

  private async startConsumer(): Promise<void> {
    const c = this.ctx.connectorConfig
    const topics: Array<string | RegExp> = (c['topics'] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '')
    if ((c['topics.regex'] ?? '') !== '') topics.push(new RegExp(c['topics.regex']))
    this.consumer = this.ctx.clients.consumer.consumer({
      groupId: sinkGroupId(this.id.connector),
      maxWaitTimeInMs: 250,
      // kafkajs gives up on a connection failure after its retries; the consumer then restarts
      // itself (rejoining the group) rather than failing the task: an outage is waited out.
      retry: { retries: 5, restartOnFailure: async (e: Error) => isRetriableError(e) && !this.stopping },
    })
    const consumer = this.consumer
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.reportRetrying(undefined)
      // Batches wait for open()/close() of the new assignment (see processBatch).
      this.assignmentDone = this.assignmentDone.then(() => this.onAssignment(e.payload.memberAssignment))
    })
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.crash?.(describeClientFailure(e.payload.error, this.ctx.clients, 'consumer') as Error)
      else this.reportRetrying(e.payload.error)
    })
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await consumer.connect()
        break
      } catch (e) {
        if (!isRetriableError(e)) throw describeClientFailure(e, this.ctx.clients, 'consumer')
        this.reportRetrying(e as Error)
        await this.clock.sleep(backoffDelay(attempt, Number(c['errors.retry.delay.max.ms'] ?? 60000)), this.abort.signal)
      }
    }
    // Connect's sink consumers start from the earliest offset when the group has none.
    await consumer.subscribe({ topics, fromBeginning: true })
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.onBatch(p) })
  }

  private async onAssignment(assigned: Record<string, number[]>): Promise<void> {
    const next = new Map<string, TopicPartition>()
    for (const [topic, parts] of Object.entries(assigned)) for (const partition of parts) next.set(tpKey({ topic, partition }), { topic, partition })
    const revoked = [...this.assignment].filter(([k]) => !next.has(k)).map(([, tp]) => tp)
    const added = [...next].filter(([k]) => !this.assignment.has(k)).map(([, tp]) => tp)
    this.assignment = next
    for (const tp of revoked) { this.current.delete(tpKey(tp)); this.committed.delete(tpKey(tp)); this.rewindTo.delete(tpKey(tp)) }
    try {
      if (revoked.length > 0) await this.task?.close(revoked)
      if (added.length > 0) await this.task?.open(added)
      this.applyPauses()
    } catch (e) {
      this.crash?.(e as Error)
    }
  }

  private onBatch(payload: EachBatchPayload): Promise<void> {
    const run = this.processBatch(payload)
    this.batchDone = run.catch(() => undefined)
    return run
  }

  private async processBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    await this.assignmentDone
    if (this.stopping || this.targetState === 'PAUSED' || batch.messages.length === 0) return
    const records = batch.messages.map((m) => toSinkRecord(batch.topic, batch.partition, m))
    if (!this.rewindTo.has(tpKey(batch))) this.rewindTo.set(tpKey(batch), { topic: batch.topic, partition: batch.partition, offset: records[0].kafkaOffset })
    this.ctx.metrics.sinkRecordsRead.inc(this.labels, records.length)
    this.ctx.metrics.batchSize.observe(this.labels, records.length)
    try {
      await this.deliver(records, heartbeat)
    } catch (e) {
      this.crash?.(e as Error)
      throw e
    }
    if (!isRunning() || isStale()) return
    const last = records[records.length - 1].kafkaOffset
    resolveOffset(String(last))
    this.current.set(tpKey(batch), { topic: batch.topic, partition: batch.partition, offset: last + 1 })
    this.ctx.metrics.sinkRecordsSent.inc(this.labels, records.length)
    this.applySeeks()
    await this.maybeCommit(false)
  }

  /** put() with Connect's semantics: retriable errors redeliver the batch; others fail or, when tolerated, isolate the bad records. */
  private async deliver(records: SinkRecord[], heartbeat: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.task!.put(records)
        this.reportRetrying(undefined)
        return
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e))
        if (isRetriableError(err) && !this.stopping) {
          this.reportRetrying(err)
          this.ctx.metrics.retries.inc(this.labels)
          await this.clock.sleep(backoffDelay(attempt, Number(this.ctx.connectorConfig['errors.retry.delay.max.ms'] ?? 60000)), this.abort.signal)
          await heartbeat().catch(() => undefined)
          if (this.stopping) throw err
          continue
        }
        if (!this.operator.toleratesAll || records.length === 1) {
          await this.operator.fail({ stage: 'TASK_PUT', className: this.taskClass.name, error: err, record: records[0] })
          return
        }
        // Tolerated: put records one at a time so only the bad ones are skipped / dead-lettered.
        for (const r of records) await this.operator.execute('TASK_PUT', this.taskClass.name, () => this.task!.put([r]), r)
        return
      }
    }
  }

  private applySeeks(): void {
    const seeks = this.seeks
    this.seeks = []
    for (const s of seeks) {
      this.consumer?.seek({ topic: s.topic, partition: s.partition, offset: String(s.offset) })
      this.current.set(tpKey(s), { ...s })
    }
  }

  private rewind(): void {
    if (this.stopping) return
    for (const [k, o] of this.rewindTo) {
      if (!this.assignment.has(k)) continue
      this.consumer?.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset) })
      this.current.delete(k)
    }
  }

  private applyPauses(): void {
    if (this.consumer === undefined) return
    const pause: TopicPartition[] = []
    const resume: TopicPartition[] = []
    for (const [k, tp] of this.assignment) {
      if (this.targetState === 'PAUSED' || this.pausedByTask.has(k)) pause.push(tp)
      else resume.push(tp)
    }
    if (pause.length > 0) this.consumer.pause(pause.map((tp) => ({ topic: tp.topic, partitions: [tp.partition] })))
    if (resume.length > 0) this.consumer.resume(resume.map((tp) => ({ topic: tp.topic, partitions: [tp.partition] })))
  }

  protected override onPause(): void { this.applyPauses() }
  protected override onResume(): void { this.applyPauses() }

  private async maybeCommit(force: boolean): Promise<void> {
    const due = this.clock.now() - this.lastCommit >= this.ctx.workerConfig['offset.flush.interval.ms']
    if (!force && !due && !this.commitRequested) return
    await this.commit()
  }

  /** preCommit() decides what is flushed; exactly that is committed to the group. */
  private commit(): Promise<void> {
    this.commitChain = this.commitChain.then(async () => {
      this.lastCommit = this.clock.now()
      this.commitRequested = false
      const offsets = [...this.current.values()].map((o) => ({ ...o }))
      if (offsets.length === 0 || this.task === undefined || this.consumer === undefined) return
      const started = this.clock.now()
      let toCommit: TopicPartitionOffset[]
      try {
        toCommit = (await this.task.preCommit(offsets)).filter((o) => this.committed.get(tpKey(o)) !== o.offset && this.assignment.has(tpKey(o)))
      } catch (e) {
        // As Connect: what put() took since the last commit may be lost with the failed flush, so
        // consumption rewinds to the last committed offsets and those records come again.
        this.ctx.metrics.offsetCommitFailures.inc(this.labels)
        this.log.warn({ err: e }, 'flush()/preCommit() failed; rewinding to the last committed offsets to deliver the records again')
        this.rewind()
        return
      }
      if (toCommit.length === 0) return
      try {
        await this.consumer.commitOffsets(toCommit.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })))
        for (const o of toCommit) {
          this.committed.set(tpKey(o), o.offset)
          this.rewindTo.set(tpKey(o), { ...o })
        }
        this.ctx.metrics.offsetCommitSuccesses.inc(this.labels)
        this.ctx.metrics.offsetCommitLatency.observe(this.labels, this.clock.now() - started)
      } catch (e) {
        // The data was flushed; the next commit carries these offsets (or a new owner redelivers).
        this.ctx.metrics.offsetCommitFailures.inc(this.labels)
        this.log.warn({ err: e }, 'Offset commit failed; the offsets will be committed at the next interval')
      }
    })
    return this.commitChain
  }
}

function toSinkRecord(topic: string, partition: number, m: KafkaMessage): SinkRecord {
  return {
    topic,
    partition,
    kafkaOffset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: toHeaders(m.headers),
  }
}

function toHeaders(h: IHeaders | undefined): Header[] {
  const out: Header[] = []
  if (h === undefined) return out
  for (const [key, v] of Object.entries(h)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      out.push({ key, value: one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(one) })
    }
  }
  return out
}
