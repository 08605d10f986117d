// Produces offset syncs, in order, to the offset-syncs topic. Unlike MM2 it never drops a sync
// when busy: exact translation needs every one. Sends are chained so order holds per partition.
import type { Kafka, Producer } from 'kafkajs'
import type { Logger } from '../../config'
import { encodeOffsetSyncKey, encodeOffsetSyncValue, type OffsetSync } from '../formats'
import { ensureTopic } from './internal-topics'

export class OffsetSyncWriter {
  private producer: Producer | undefined
  private chain: Promise<void> = Promise.resolve()
  private pending: OffsetSync[] = []
  private failed: Error | undefined

  constructor(private readonly kafka: Kafka, readonly topic: string, private readonly replicationFactor: number, private readonly log: Logger) {}

  async start(): Promise<void> {
    const admin = this.kafka.admin()
    await admin.connect()
    try {
      // One partition keeps every sync of every topic in one ordered stream, as MM2 does.
      // Not compacted: compaction could drop the syncs that delimit a contiguous range.
      await ensureTopic(admin, this.topic, 1, this.replicationFactor)
    } finally {
      await admin.disconnect()
    }
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
    await this.producer.connect()
  }

  add(syncs: OffsetSync[]): void {
    if (syncs.length === 0) return
    this.pending.push(...syncs)
    if (this.pending.length === syncs.length) this.chain = this.chain.then(() => this.sendPending())
  }

  private async sendPending(): Promise<void> {
    const batch = this.pending
    this.pending = []
    if (batch.length === 0 || this.producer === undefined) return
    try {
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: batch.map((s) => ({ partition: 0, key: encodeOffsetSyncKey(s), value: encodeOffsetSyncValue(s) })),
      })
    } catch (e) {
      this.failed = e as Error
      this.log.error({ err: e, topic: this.topic }, 'failed to write offset syncs')
    }
  }

  /** Waits until everything added so far is written. */
  async flush(): Promise<void> {
    await this.chain
    if (this.failed !== undefined) { const e = this.failed; this.failed = undefined; throw e }
  }

  async stop(): Promise<void> {
    await this.chain
    await this.producer?.disconnect()
    this.producer = undefined
  }
}
