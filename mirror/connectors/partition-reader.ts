// Reads a fixed set of source partitions from given offsets with kafkajs, which has no assign():
// a consumer group of its own (one member, a private name under `__`, which MM2's default
// groups.exclude skips) whose assigner hands that member exactly these partitions. It seeks to the
// starting offsets once joined and drops anything fetched below them, so reading starts exactly there.
import { AssignerProtocol, type Consumer, type Kafka, type KafkaMessage, type PartitionAssigner } from 'kafkajs'
import { randomBytes } from 'node:crypto'
import { createLogger } from '../../config'
import type { TopicPartition } from './topic-partitions'

export interface ReadRecord {
  topic: string
  partition: number
  offset: number
  message: KafkaMessage
  /** The partition's high watermark in the fetch that brought this record. */
  highWatermark?: number
}

/** Records of one partition as fetched, in offset order (kafkajs's own message objects, not copied). */
export interface ReadBatch {
  topic: string
  partition: number
  messages: KafkaMessage[]
  /** Key and value bytes, for backpressure. */
  bytes: number
  /** The partition's high watermark in the fetch response. */
  highWatermark?: number
}

function fixedAssigner(assigned: TopicPartition[]): PartitionAssigner {
  return () => ({
    name: 'GodwitFixedAssigner',
    version: 0,
    async assign({ members }) {
      const assignment: Record<string, number[]> = {}
      for (const tp of assigned) (assignment[tp.topic] ??= []).push(tp.partition)
      return members.map((m, i) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: i === 0 ? assignment : {}, userData: Buffer.alloc(0) }),
      }))
    },
    protocol({ topics }) {
      return { name: 'GodwitFixedAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }
    },
  })
}

/** How often topics that went away are looked for again (they are read again once back). */
const GONE_RECHECK_MS = 5000

export class PartitionReader {
  private consumer: Consumer | undefined
  /** Topics of the assignment the source no longer has (deleted): left out of the consumer meanwhile. */
  private readonly gone = new Set<string>()
  private recheckTimer: NodeJS.Timeout | undefined
  private rebuilding: Promise<void> = Promise.resolve()
  private buffer: ReadBatch[] = []
  private bufferedBytes = 0
  private readonly next = new Map<string, number>()
  private wake: (() => void) | undefined
  private drained: (() => void) | undefined
  private stopped = false
  private readonly log = createLogger('mirror-partition-reader')
  readonly groupId: string

  constructor(
    private readonly kafka: Kafka,
    private readonly assigned: TopicPartition[],
    /** Next offset to read per "topic\0partition"; absent = from the earliest. */
    private readonly startOffsets: Map<string, number>,
    /** maxBufferedBytes: fetching pauses while this much key+value data waits to be taken (default 16 MiB). */
    private readonly opts: { groupPrefix: string; maxBufferedBytes?: number; maxWaitTimeInMs?: number; maxBytesPerPartition?: number },
  ) {
    this.groupId = `${opts.groupPrefix}-${randomBytes(6).toString('hex')}`
  }

  async start(): Promise<void> {
    if (this.assigned.length === 0) return
    const topics = [...new Set(this.assigned.map((tp) => tp.topic))]
    const admin = this.kafka.admin()
    await admin.connect()
    const seeks: Array<{ topic: string; partition: number; offset: string }> = []
    try {
      // A missing start offset means "from the earliest", resolved now so a retention race cannot skip.
      for (const topic of topics) {
        const low = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.low)]))
        for (const tp of this.assigned.filter((x) => x.topic === topic)) {
          const offset = Math.max(this.startOffsets.get(`${topic}\u0000${tp.partition}`) ?? 0, low.get(tp.partition) ?? 0)
          this.next.set(`${topic}\u0000${tp.partition}`, offset)
          seeks.push({ topic, partition: tp.partition, offset: String(offset) })
        }
      }
    } finally {
      await admin.disconnect()
    }
    await this.runConsumer(seeks)
  }

  /**
   * One consumer over the assigned partitions of every topic not gone. kafkajs fails a whole
   * consumer (and restarts it, again and again) when one subscribed topic is deleted: such a
   * failure rebuilds the consumer without that topic instead, so the others keep flowing.
   */
  private async runConsumer(seeks: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
    const assigned = this.assigned.filter((tp) => !this.gone.has(tp.topic))
    if (assigned.length === 0 || this.stopped) return
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      partitionAssigners: [fixedAssigner(assigned)],
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.opts.maxWaitTimeInMs ?? 250,
      ...(this.opts.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: this.opts.maxBytesPerPartition } : {}),
      retry: { restartOnFailure: async () => !(await this.someTopicGone()) },
    })
    this.consumer = consumer
    consumer.on(consumer.events.CRASH, (e) => {
      if (e.payload.restart) this.log.warn({ err: e.payload.error, group: this.groupId }, 'source consumer crashed; kafkajs restarts it')
      else this.rebuild(consumer)
    })
    await consumer.connect()
    for (const topic of new Set(assigned.map((tp) => tp.topic))) await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || this.stopped) return
        const key = `${batch.topic}\u0000${batch.partition}`
        const expected = this.next.get(key)
        const msgs = batch.messages
        if (msgs.length === 0) return
        // Resolving moves kafkajs's fetch position on (nothing is committed: autoCommit is off).
        resolveOffset(msgs[msgs.length - 1].offset)
        if (expected === undefined) return // not ours
        // Offsets rise within a batch: skip what lies before the start (fetched before the seek landed).
        let from = 0
        while (from < msgs.length && Number(msgs[from].offset) < expected) from++
        if (from === msgs.length) return
        const messages = from === 0 ? msgs : msgs.slice(from)
        let bytes = 0
        for (const m of messages) bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0)
        this.buffer.push({ topic: batch.topic, partition: batch.partition, messages, bytes, highWatermark: Number(batch.highWatermark) })
        this.bufferedBytes += bytes
        this.next.set(key, Number(messages[messages.length - 1].offset) + 1)
        this.wake?.()
        // Backpressure: hold the fetch loop while the task has not taken what was read.
        while (this.bufferedBytes >= (this.opts.maxBufferedBytes ?? 16 * 1024 * 1024) && !this.stopped && isRunning()) {
          await new Promise<void>((r) => { this.drained = r; setTimeout(r, 1000) })
          await heartbeat()
        }
      },
    })
    // Seek once joined; records fetched before the seek lands are below `next` and dropped above.
    for (const seek of seeks) if (!this.gone.has(seek.topic)) consumer.seek(seek)
  }

  /** After a consumer failure: notes assigned topics the source no longer lists; true if any. */
  private async someTopicGone(): Promise<boolean> {
    const admin = this.kafka.admin()
    try {
      await admin.connect()
      const existing = new Set(await admin.listTopics())
      const lost = [...new Set(this.assigned.map((tp) => tp.topic))].filter((t) => !existing.has(t) && !this.gone.has(t))
      for (const t of lost) this.gone.add(t)
      if (lost.length > 0) this.log.warn({ topics: lost, group: this.groupId }, 'source topics deleted; reading the others on without them')
      return lost.length > 0
    } catch {
      return false
    } finally {
      await admin.disconnect().catch(() => undefined)
    }
  }

  /** Replaces a consumer that stopped for a gone topic; looks for gone topics again now and then. */
  private rebuild(old: Consumer): void {
    this.rebuilding = this.rebuilding.then(async () => {
      if (this.consumer !== old || this.stopped) return
      await old.disconnect().catch(() => undefined)
      this.consumer = undefined
      await this.runConsumer(this.positions())
    }).catch((err: unknown) => {
      this.log.warn({ err, group: this.groupId }, 'restarting the source consumer failed; retrying')
      this.scheduleRecheck()
    })
    this.scheduleRecheck()
  }

  /** Current positions of the partitions being read, as seeks. */
  private positions(): Array<{ topic: string; partition: number; offset: string }> {
    return this.assigned.map((tp) => ({ tp, at: this.next.get(`${tp.topic}\u0000${tp.partition}`) }))
      .filter((x) => x.at !== undefined).map((x) => ({ topic: x.tp.topic, partition: x.tp.partition, offset: String(x.at) }))
  }

  private scheduleRecheck(): void {
    if (this.recheckTimer !== undefined || this.stopped) return
    this.recheckTimer = setTimeout(() => {
      this.recheckTimer = undefined
      void this.recheck()
    }, GONE_RECHECK_MS)
  }

  /** A gone topic that exists again (recreated) is read again, from where it was or its earliest. */
  private async recheck(): Promise<void> {
    if (this.stopped) return
    const admin = this.kafka.admin()
    let back: string[] = []
    try {
      await admin.connect()
      const existing = new Set(await admin.listTopics())
      back = [...this.gone].filter((t) => existing.has(t))
      // A topic back under its name is a new topic: read it from its earliest offset.
      for (const t of back) {
        for (const o of await admin.fetchTopicOffsets(t)) {
          const key = `${t}\u0000${o.partition}`
          if (this.next.has(key)) this.next.set(key, Number(o.low))
        }
      }
    } catch {
      back = [] // looked for again below
    } finally { await admin.disconnect().catch(() => undefined) }
    if (back.length > 0) {
      for (const t of back) this.gone.delete(t)
      this.log.info({ topics: back, group: this.groupId }, 'source topics back; reading them again')
      const old = this.consumer
      if (old === undefined) this.rebuilding = this.rebuilding.then(() => this.runConsumer(this.positions())).catch(() => undefined)
      else this.rebuild(old)
    }
    if (this.gone.size > 0) this.scheduleRecheck()
  }

  /** Everything read so far, batch by batch, waiting up to `maxWaitMs` for something to arrive. */
  async takeBatches(maxWaitMs: number): Promise<ReadBatch[]> {
    if (this.buffer.length === 0 && !this.stopped) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, maxWaitMs)
        this.wake = () => { clearTimeout(t); this.wake = undefined; resolve() }
      })
    }
    const out = this.buffer
    this.buffer = []
    this.bufferedBytes = 0
    this.drained?.()
    return out
  }

  /** Everything read so far, record by record, waiting up to `maxWaitMs` for something to arrive. */
  async take(maxWaitMs: number): Promise<ReadRecord[]> {
    const out: ReadRecord[] = []
    for (const b of await this.takeBatches(maxWaitMs)) {
      for (const message of b.messages) out.push({ topic: b.topic, partition: b.partition, offset: Number(message.offset), message, highWatermark: b.highWatermark })
    }
    return out
  }

  /** Ends a take() that is waiting. */
  wakeup(): void { this.wake?.() }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.recheckTimer !== undefined) clearTimeout(this.recheckTimer)
    this.wake?.()
    this.drained?.()
    await this.rebuilding
    const consumer = this.consumer
    this.consumer = undefined
    if (consumer === undefined) return
    await consumer.disconnect()
    // The private group served only this reader; remove it so groups do not pile up.
    const admin = this.kafka.admin()
    try {
      await admin.connect()
      await admin.deleteGroups([this.groupId]).catch(() => undefined)
    } finally {
      await admin.disconnect()
    }
  }
}
