// The dead-letter queue of a sink connector: failed records go, unchanged, to
// errors.deadletterqueue.topic.name, with Connect's __connect.errors.* context headers when
// errors.deadletterqueue.context.headers.enable is true. Values of the headers are UTF-8 strings.
import type { IHeaders, Kafka, Producer } from 'kafkajs'
import type { SinkRecord } from '../api'
import { toKafkaHeaders } from '../kafka/headers'
import { ensureTopic } from './topics'
import type { ErrorReporter, ProcessingError } from './tolerance'

export const ERROR_HEADER_PREFIX = '__connect.errors.'

export interface DeadLetterQueueOptions {
  /** The producer's client (Connect: producer.* settings). */
  kafka: Kafka
  /** The admin client that creates the topic (Connect: top-level and admin.* settings); default `kafka`. */
  adminKafka?: Kafka
  topic: string
  replicationFactor: number
  contextHeaders: boolean
  connector: string
  taskId: number
  onWritten?: () => void
  onFailed?: () => void
}

export class DeadLetterQueueReporter implements ErrorReporter {
  private producer: Producer | undefined
  private ready: Promise<void> | undefined

  constructor(private readonly opts: DeadLetterQueueOptions) {}

  private async start(): Promise<void> {
    const admin = (this.opts.adminKafka ?? this.opts.kafka).admin()
    await admin.connect()
    try {
      await ensureTopic(admin, this.opts.topic, 1, this.opts.replicationFactor)
    } finally {
      await admin.disconnect()
    }
    this.producer = this.opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 10 } })
    await this.producer.connect()
  }

  async report(f: ProcessingError): Promise<void> {
    const record = f.record as SinkRecord | undefined
    if (record === undefined) return
    this.ready ??= this.start()
    try {
      await this.ready
      const headers: IHeaders = toKafkaHeaders(record.headers) ?? {}
      if (this.opts.contextHeaders) Object.assign(headers, contextHeaders(f, record, this.opts.connector, this.opts.taskId))
      await this.producer!.send({ topic: this.opts.topic, acks: -1, messages: [{ key: record.key, value: record.value, headers, timestamp: String(record.timestamp) }] })
      this.opts.onWritten?.()
    } catch (e) {
      this.ready = undefined
      this.opts.onFailed?.()
      throw e
    }
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect()
  }
}

export function contextHeaders(f: ProcessingError, record: SinkRecord, connector: string, taskId: number): Record<string, Buffer> {
  const h = (v: string | number): Buffer => Buffer.from(String(v), 'utf8')
  return {
    [`${ERROR_HEADER_PREFIX}topic`]: h(record.topic),
    [`${ERROR_HEADER_PREFIX}partition`]: h(record.partition),
    [`${ERROR_HEADER_PREFIX}offset`]: h(record.kafkaOffset),
    [`${ERROR_HEADER_PREFIX}connector.name`]: h(connector),
    [`${ERROR_HEADER_PREFIX}task.id`]: h(taskId),
    [`${ERROR_HEADER_PREFIX}stage`]: h(f.stage),
    [`${ERROR_HEADER_PREFIX}class.name`]: h(f.className),
    [`${ERROR_HEADER_PREFIX}exception.class.name`]: h(f.error.name),
    [`${ERROR_HEADER_PREFIX}exception.message`]: h(f.error.message),
    [`${ERROR_HEADER_PREFIX}exception.stacktrace`]: h(f.error.stack ?? `${f.error.name}: ${f.error.message}`),
  }
}
