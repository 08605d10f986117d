// A KeyValueLog in a compacted Kafka topic (Connect's connect-offsets / connect-configs /
// connect-status). The topic is created if missing (cleanup.policy=compact). At start the whole
// topic is read to its end with a throwaway consumer group; writes are produced with acks=all and
// awaited. Only one worker writes in standalone mode, so the in-memory map stays current.
import { randomBytes } from 'node:crypto'
import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs'
import type { KeyValueLog } from './kv-log'
import { OffsetStoreError } from '../errors'
import { createLogger } from '../../config'

export interface KafkaKeyValueLogOptions {
  kafka: Kafka
  topic: string
  partitions: number
  /** -1 means the broker's default.replication.factor. */
  replicationFactor: number
  readTimeoutMs?: number
}

export class KafkaKeyValueLog implements KeyValueLog {
  private readonly log = createLogger('connect-kafka-store')
  private producer: ReturnType<Kafka['producer']> | undefined

  constructor(readonly opts: KafkaKeyValueLogOptions) {}

  async start(): Promise<Map<string, string>> {
    const { kafka, topic } = this.opts
    const admin = kafka.admin()
    await admin.connect()
    try {
      await ensureCompactedTopic(admin, topic, this.opts.partitions, this.opts.replicationFactor)
      const data = await readToEnd(kafka, admin, topic, this.opts.readTimeoutMs ?? 30000)
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 10 } })
      await this.producer.connect()
      this.log.debug({ topic, keys: data.size }, 'store loaded')
      return data
    } finally {
      await admin.disconnect()
    }
  }

  async write(entries: Array<[string, string | null]>): Promise<void> {
    if (this.producer === undefined) throw new OffsetStoreError(`store on ${this.opts.topic} used before start()`)
    if (entries.length === 0) return
    await this.producer.send({
      topic: this.opts.topic,
      acks: -1,
      messages: entries.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value) })),
    })
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect()
    this.producer = undefined
  }
}

export async function ensureCompactedTopic(admin: Admin, topic: string, partitions: number, replicationFactor: number): Promise<void> {
  const existing = await admin.listTopics()
  if (existing.includes(topic)) {
    // As Connect: an internal topic that deletes old records would lose offsets and configs.
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] })
    const policy = cfg.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue ?? 'delete'
    if (policy.split(',').map((p) => p.trim()).join(',') !== 'compact') {
      throw new OffsetStoreError(`internal topic ${topic} has cleanup.policy=${policy}; it must be compact only, or old offsets/configs/statuses are deleted (set it with kafka-configs, or choose another topic name)`)
    }
    return
  }
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    })
  } catch (e) {
    // Another worker may have created it in between; anything else is real.
    if (!(await admin.listTopics()).includes(topic)) throw new OffsetStoreError(`cannot create internal topic ${topic}: ${(e as Error).message}`, { cause: e })
  }
}

async function readToEnd(kafka: Kafka, admin: Admin, topic: string, timeoutMs: number): Promise<Map<string, string>> {
  const ends = await admin.fetchTopicOffsets(topic)
  const remaining = new Map<number, number>()
  for (const p of ends) if (Number(p.high) > Number(p.low)) remaining.set(p.partition, Number(p.high))
  const data = new Map<string, string>()
  if (remaining.size === 0) return data
  const groupId = `godwit-store-reader-${randomBytes(6).toString('hex')}`
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 })
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new OffsetStoreError(`timed out after ${timeoutMs} ms reading internal topic ${topic}`)), timeoutMs)
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const key = m.key?.toString()
            if (key === undefined) continue
            if (m.value === null) data.delete(key)
            else data.set(key, m.value.toString())
          }
          const end = remaining.get(batch.partition)
          if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition)
          if (remaining.size === 0) { clearTimeout(timer); resolve() }
        },
      }).catch(reject)
    })
  } finally {
    await consumer.disconnect()
    await admin.deleteGroups([groupId]).catch(() => undefined)
  }
  return data
}
