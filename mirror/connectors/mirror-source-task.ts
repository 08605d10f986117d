// MirrorSourceTask: reads its source partitions and returns each record for the remote topic,
// same partition, key, value, headers and timestamp, in order. Once the target acknowledges a
// record, an offset sync is emitted when OffsetSyncEmitter says so (exact translation).
// In Godwit's Connect worker the task writes itself (SelfWritingSourceTask) when its policy allows
// the raw path: batches go to the worker's target as bytes through RawBatchSender.
import type { KafkaConfig } from 'kafkajs'
import { createLogger, type Logger } from '../../config'
import { SourceTask, type ConnectorProps, type RecordMetadata, type SelfWritingSourceTask, type SourceRecord, type SourceWriteListener, type Header } from '../../connectors/api'
import { OffsetSyncEmitter } from '../offsets'
import { extendProvenance, isIdentityPolicy, PROVENANCE_HEADER, readProvenance, wouldLoop } from '../policy'
import { consumerOptions, kafkajsConfig } from '../config'
import { RawBatchSender } from '../driver/raw-batch-sender'
import { mirrorContext, offsetSyncsLocation, type MirrorContext } from './mirror-props'
import { toRawMirrorBatch, type BatchContext, type RawBatchSourceTask, type RawMirrorBatch } from './mirror-batch'
import { OffsetSyncWriter } from './offset-sync-writer'
import { PartitionReader, type ReadRecord } from './partition-reader'
import { RawPartitionReader } from './raw-partition-reader'
import { WireClient } from '../wire/kafka-client'
import { decodePartitions } from './topic-partitions'
import { committedOffset, resumeOffsets, skippedSyncs } from './exact-resume'
import { kafkaResumeIo } from './exact-resume-io'

/** A source record that also says which codec the producer should use (MM2 keeps the source topic's). */
export interface MirrorSourceRecord extends SourceRecord {
  compression?: string
  /** The source partition's high watermark when the record was fetched (replication-lag metric). */
  sourceHighWatermark?: number
}

const TAIL_SYNC_INTERVAL_MS = 1000
const POLL_MAX_RECORDS = 4096
const POLL_MAX_BYTES = 1024 * 1024
/** Batch bytes read but not yet acknowledged before pollAndWrite() waits (as TaskRunner does). */
const MAX_UNACKED_BYTES = 4 * 1024 * 1024

export class MirrorSourceTask extends SourceTask implements RawBatchSourceTask, SelfWritingSourceTask {
  private m: MirrorContext | undefined
  private reader: PartitionReader | undefined
  private rawReader: RawPartitionReader | undefined
  private rawHeld: ((sourceKey: string) => boolean) | undefined
  private rawPreferred = false
  private emitter: OffsetSyncEmitter | undefined
  private syncs: OffsetSyncWriter | undefined
  private compression: Record<string, string> = {}
  private tailTimer: NodeJS.Timeout | undefined
  private identity = false
  private batchContext: BatchContext | undefined
  private log: Logger = createLogger('mirror-source-task')
  /** Records taken from the reader that did not fit in the last poll. */
  private leftover: ReadRecord[] = []
  /** Set by writeItself(): the Connect worker's producer settings and where acknowledgements go. */
  private selfWrite: { target: KafkaConfig; acks: SourceWriteListener } | undefined
  private sender: RawBatchSender | undefined
  private stopped = false

  async start(props: ConnectorProps): Promise<void> {
    const m = mirrorContext(props)
    this.m = m
    this.log = createLogger('mirror-source-task', { connector: `${m.source}->${m.target}.MirrorSourceConnector`, task: this.context?.taskId })
    this.identity = isIdentityPolicy(m.policy)
    this.compression = JSON.parse(props['task.topic.compression'] ?? '{}') as Record<string, string>
    const remote = new Map<string, string>()
    this.batchContext = {
      source: m.source, target: m.target, compression: this.compression, identity: this.identity,
      remoteTopic: (t) => { let r = remote.get(t); if (r === undefined) remote.set(t, (r = m.policy.formatRemoteTopic(m.source, t))); return r },
    }
    const assigned = decodePartitions(props['task.assigned.partitions'])
    // Resume after the last replicated upstream offset MM2-style: { cluster, topic, partition } ->
    // { offset, downstream }, then past what the target already holds (exact-resume.ts).
    const partitions = assigned.map((tp) => ({ cluster: m.source, topic: tp.topic, partition: tp.partition }))
    const stored = partitions.length === 0 ? [] : await this.context.offsetStorageReader.offsets(partitions)
    const resumes = await resumeOffsets({
      io: kafkaResumeIo(m.sourceKafka('resume'), m.targetKafka('resume'), `__godwit-mm2-${m.source}-${m.target}-task${this.context?.taskId ?? 0}-resume`),
      partitions: assigned.map((tp, i) => ({ ...tp, remoteTopic: this.batchContext!.remoteTopic(tp.topic), committed: committedOffset(stored[i]) })),
      context: this.batchContext!, log: this.log,
    })
    const start = new Map<string, number>()
    for (const [key, r] of resumes) if (r.next !== undefined) start.set(key, r.next)
    if (m.config['emit.offset-syncs.enabled']) {
      const loc = offsetSyncsLocation(m)
      this.syncs = new OffsetSyncWriter(loc.onSource ? m.sourceKafka('offset-syncs') : m.targetKafka('offset-syncs'), loc.topic, m.config['offset-syncs.topic.replication.factor'], this.log)
      await this.syncs.start()
      this.emitter = new OffsetSyncEmitter(m.config['offset.lag.max'])
      this.syncs.add(skippedSyncs(resumes, this.emitter))
      this.tailTimer = setInterval(() => { this.syncs?.add(this.emitter!.flushTail()) }, TAIL_SYNC_INTERVAL_MS)
    }
    const c = consumerOptions(m.sourceProps)
    if (this.rawPath) {
      // Batches travel as bytes; identity re-encodes them with provenance headers (see toRawMirrorBatch).
      this.rawReader = new RawPartitionReader(new WireClient(m.sourceConfig(`task-${this.context?.taskId ?? 0}`)), assigned, start, {
        log: this.log,
        // Asked per fetch: the host (or this task's own sender) says which partitions are stalled on the target.
        held: (key) => this.rawHeld?.(key) ?? false,
        ...(c.maxWaitTimeInMs !== undefined ? { maxWaitMs: c.maxWaitTimeInMs } : {}),
        ...(c.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: c.maxBytesPerPartition } : {}),
        ...(c.maxBytes !== undefined ? { maxBytes: c.maxBytes } : {}),
      })
      await this.rawReader.start()
      if (this.selfWrite !== undefined) await this.startSender(this.selfWrite)
      this.log.info({ partitions: assigned.length, raw: true, writesItself: this.sender !== undefined }, 'source task started')
      return
    }
    this.reader = new PartitionReader(m.sourceKafka(`task-${this.context?.taskId ?? 0}`), assigned, start, {
      groupPrefix: `__godwit-mm2-${m.source}-${m.target}-task${this.context?.taskId ?? 0}`,
      ...(c.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: c.maxWaitTimeInMs } : {}),
      ...(c.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: c.maxBytesPerPartition } : {}),
    })
    await this.reader.start()
    this.log.info({ partitions: assigned.length }, 'source task started')
  }

  /**
   * At most POLL_MAX_RECORDS records or about POLL_MAX_BYTES of keys and values per poll, as a
   * Kafka consumer's max.poll.records bounds MM2's polls; the rest waits for the next poll (the
   * reader pauses fetching meanwhile once its own buffer is full).
   */
  async poll(): Promise<SourceRecord[] | null> {
    const m = this.m!
    if (this.leftover.length === 0) this.leftover = await this.reader!.take(m.config['consumer.poll.timeout.ms'])
    const out: MirrorSourceRecord[] = []
    let bytes = 0
    let i = 0
    for (; i < this.leftover.length && i < POLL_MAX_RECORDS && bytes < POLL_MAX_BYTES; i++) {
      const r = this.leftover[i]
      bytes += (r.message.key?.length ?? 0) + (r.message.value?.length ?? 0)
      const rec = this.convert(r)
      if (rec !== undefined) out.push(rec)
    }
    this.leftover = i === this.leftover.length ? [] : this.leftover.slice(i)
    return out
  }

  /** Opts in to the raw path (before start): the target's KafkaConfig when this policy allows it. */
  rawTarget(props: ConnectorProps): KafkaConfig | undefined {
    const m = mirrorContext(props)
    this.rawPreferred = true
    return m.targetConfig(`task-${this.context?.taskId ?? 0}-raw`)
  }

  /**
   * The Connect worker offers to let the task write (before start): yes when the raw path applies
   * (any policy) and the worker's producer settings name a cluster. The worker's
   * producer.* settings (security included) reach the target, as its own producer would.
   */
  writeItself(producerProps: Record<string, string>, acks: SourceWriteListener): boolean {
    if ((producerProps['bootstrap.servers'] ?? '') === '') return false
    const m = mirrorContext(this.context.config)
    this.rawPreferred = true
    this.selfWrite = { target: kafkajsConfig(producerProps, `mm2-${m.source}->${m.target}-task-${this.context.taskId}-raw`), acks }
    return true
  }

  private async startSender(w: { target: KafkaConfig; acks: SourceWriteListener }): Promise<void> {
    this.sender = new RawBatchSender({
      target: w.target, isStopping: () => this.stopped, log: this.log,
      onAck: (b, base) => {
        this.commitRawBatch(b, base)
        // The last record's downstream offset too: a restart skips what the target already has (exact-resume.ts).
        const last = b.offsets.length - 1
        w.acks.acknowledged(b.offsets.length, [{ partition: b.sourcePartition, offset: { offset: b.offsets[last], downstream: base + last } }])
      },
    })
    const sender = this.sender
    this.rawHeld = (key) => sender.held(key)
    await this.sender.connect()
  }

  /** The worker's loop step on the raw path: read batches, hand them to the sender, wait while too much is unacknowledged. */
  async pollAndWrite(): Promise<number> {
    const batches = await this.pollRawBatches()
    let records = 0
    for (const b of batches) records += b.offsets.length
    if (batches.length > 0) this.sender!.enqueue(batches)
    await this.sender!.waitBelow(MAX_UNACKED_BYTES)
    return records
  }

  async flushWrites(): Promise<void> {
    await this.sender?.idle()
  }

  /** The host's word on which source partitions to leave unread for now (their target partition is stalled). */
  holdRaw(held: (sourceKey: string) => boolean): void { this.rawHeld = held }

  /** Raw batches when the host asked for them (under identity each batch is re-encoded with provenance headers). */
  get rawPath(): boolean { return this.rawPreferred }

  /** The raw path: each partition's fetched batches as bytes, re-encoded only where needed. */
  async pollRawBatches(): Promise<RawMirrorBatch[]> {
    const read = await this.rawReader!.takeBatches(this.m!.config['consumer.poll.timeout.ms'])
    const out: RawMirrorBatch[] = []
    for (const rb of read) {
      const b = await toRawMirrorBatch(this.batchContext!, rb)
      if (b !== undefined) out.push(b)
    }
    return out
  }

  /** Offset syncs for an acknowledged raw batch: record i went to baseOffset + i. */
  commitRawBatch(batch: RawMirrorBatch, baseOffset: number): void {
    if (this.emitter === undefined) return
    const sp = batch.sourcePartition as { topic: string; partition: number }
    const offsets = batch.offsets
    for (let i = 0; i < offsets.length; i++) this.syncs!.add(this.emitter.record(sp.topic, sp.partition, offsets[i], baseOffset + i))
  }

  private convert(r: ReadRecord): MirrorSourceRecord | undefined {
    const m = this.m!
    const headers: Header[] = []
    for (const [key, v] of Object.entries(r.message.headers ?? {})) {
      for (const one of Array.isArray(v) ? v : [v]) {
        headers.push({ key, value: one === undefined || one === null ? null : Buffer.isBuffer(one) ? one : Buffer.from(String(one)) })
      }
    }
    if (this.identity) {
      // Names cannot tell where a record came from under the identity policy; its header can.
      const seen = readProvenance(r.message.headers as Record<string, Buffer>)
      if (wouldLoop(seen, m.target)) return undefined
      const value = Buffer.from(extendProvenance(seen, m.source, m.target))
      const i = headers.findIndex((h) => h.key === PROVENANCE_HEADER)
      if (i >= 0) headers.splice(i, 1)
      headers.push({ key: PROVENANCE_HEADER, value })
    }
    const rec: MirrorSourceRecord = {
      topic: m.policy.formatRemoteTopic(m.source, r.topic),
      partition: r.partition,
      key: r.message.key ?? null,
      value: r.message.value ?? null,
      headers,
      timestamp: Number(r.message.timestamp),
      sourcePartition: { cluster: m.source, topic: r.topic, partition: r.partition },
      sourceOffset: { offset: r.offset },
    }
    const codec = this.compression[r.topic]
    if (codec !== undefined) rec.compression = codec
    if (r.highWatermark !== undefined) rec.sourceHighWatermark = r.highWatermark
    return rec
  }

  override commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    if (metadata === null) return
    // The Connect worker commits this very object as the record's source offset after this call;
    // with the downstream offset in it a restart skips what the target already has (exact-resume.ts).
    if (metadata.offset >= 0) (record.sourceOffset as { downstream?: number }).downstream = metadata.offset
    if (this.emitter === undefined) return
    const sp = record.sourcePartition as { topic: string; partition: number }
    const upstream = (record.sourceOffset as { offset: number }).offset
    this.syncs!.add(this.emitter.record(sp.topic, sp.partition, upstream, metadata.offset))
  }

  override async commit(): Promise<void> {
    if (this.emitter !== undefined) this.syncs!.add(this.emitter.flushTail())
    await this.syncs?.flush()
  }

  /** Ends a poll that is waiting (the runner is stopping); the raw sender sends nothing new, so flushWrites() awaits only requests in flight. */
  wakeup(): void {
    this.stopped = true
    this.reader?.wakeup()
    this.rawReader?.wakeup()
  }

  async stop(): Promise<void> {
    if (this.tailTimer !== undefined) clearInterval(this.tailTimer)
    await this.reader?.stop()
    await this.rawReader?.stop()
    // Acknowledgements emit offset syncs: the sender closes before the sync writer.
    this.stopped = true
    await this.sender?.close().catch((err: unknown) => this.log.warn({ err }, 'closing the raw batch sender failed'))
    if (this.emitter !== undefined) this.syncs?.add(this.emitter.flushTail())
    await this.syncs?.stop()
  }
}
