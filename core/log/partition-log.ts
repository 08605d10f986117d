// One partition's log: batches stored exactly as produced (only baseOffset, and the timestamp
// under LogAppendTime, are rewritten in place), offsets assigned here, reads by offset and by
// timestamp up to the high watermark (the end of data that is durable under the flush policy).
// Emits 'append' whenever the high watermark advances, 'failed' if a write or fsync fails (the
// partition then refuses appends until the log directory is reopened).
import { EventEmitter } from 'node:events'
import { setBaseOffset, setLogAppendTime } from '../protocol/records/batch-header'
import { checkIncoming, checkTimestamps, verifyCrcs, type IncomingBatch } from './append-check'
import { createLogger } from '../../config/logger'
import type { Clock } from './clock'
import { LogClosedError, OffsetOutOfRangeError } from './errors'
import type { FdCache } from './fd-cache'
import { GroupCommit, type FlushPolicy } from './group-commit'
import { writeFilesQuick } from './io'
import { ProducerStateManager, type ProducerEntry } from './producer-state'
import { readBatches } from './read-path'
import { deleteSegmentsBelow } from './retention'
import { Segment, SegmentGoneError } from './segment'
import type { TopicConfig } from './topic-config'

export interface AppendResult {
  baseOffset: number
  lastOffset: number
  /** Broker time stamped on the batches under LogAppendTime, else -1. */
  logAppendTime: number
  logStartOffset: number
  duplicate?: boolean
}

export interface ReadResult { records: Buffer; highWatermark: number; logStartOffset: number }

export interface PartitionLogInit {
  topic: string
  partition: number
  dir: string
  fds: FdCache
  clock: Clock
  config: TopicConfig
  segments: Segment[]
  logStartOffset: number
  producers: ProducerStateManager
  /** Called when logStartOffset moves (the manager persists its checkpoint; at once when urgent). */
  onLogStartOffset?: (log: PartitionLog, urgent: boolean) => void
}

const EMPTY = Buffer.alloc(0)
const logger = createLogger('core/log')
const INT32_MAX = 0x7fffffff
/** From this size on a lone batch's write starts before its CRC check (below, the check is cheaper than a separate write call). */
const DISPATCH_MIN_BYTES = 16384

export class PartitionLog extends EventEmitter {
  readonly topic: string
  readonly partition: number
  readonly dir: string
  readonly fds: FdCache
  readonly clock: Clock
  readonly producers: ProducerStateManager
  config: TopicConfig
  segments: Segment[]
  logStartOffset: number
  logEndOffset: number
  highWatermark: number
  /** Offset below which everything is fsynced (checkpointed as the recovery point). */
  recoveryPoint: number
  readonly commit: GroupCommit
  closed = false
  /** Timers that unlink .deleted files after file.delete.delay.ms (cleared on close; leftovers go at the next open). */
  readonly pendingDeletes = new Set<NodeJS.Timeout>()
  private readonly onLogStart: (log: PartitionLog, urgent: boolean) => void
  /** Offset up to which producer state includes every batch (ahead of logEndOffset mid-append). */
  private producerStateEnd: number

  constructor(init: PartitionLogInit) {
    super()
    this.setMaxListeners(0)
    this.topic = init.topic
    this.partition = init.partition
    this.dir = init.dir
    this.fds = init.fds
    this.clock = init.clock
    this.config = init.config
    this.segments = init.segments
    this.producers = init.producers
    this.logStartOffset = init.logStartOffset
    this.logEndOffset = this.highWatermark = this.recoveryPoint = this.producerStateEnd = this.active.nextOffset
    this.onLogStart = init.onLogStartOffset ?? (() => undefined)
    this.commit = new GroupCommit(this.logEndOffset, {
      policy: (): FlushPolicy => ({ flushMessages: this.config['flush.messages'], flushMs: this.config['flush.ms'] }),
      onServable: (end, segs) => {
        for (const s of segs) s.readableSize = s.writtenSize
        if (end > this.highWatermark) { this.highWatermark = end; this.emit('append', end) }
      },
      onDurable: (end) => { this.recoveryPoint = Math.max(this.recoveryPoint, end) },
      // Not 'error': an EventEmitter 'error' nobody listens to would kill the broker.
      onError: (err) => {
        this.closed = true
        logger.error({ partition: this.name, err }, 'write to the log failed; the partition is offline until reopened')
        this.emit('failed', err)
      },
    })
  }

  get name(): string { return `${this.topic}-${this.partition}` }
  /** "partition <name>", for error messages. */
  private get where(): string { return `partition ${this.topic}-${this.partition}` }
  get active(): Segment { return this.segments[this.segments.length - 1] }
  get size(): number { return this.segments.reduce((n, s) => n + s.size, 0) }
  get stats(): { fsyncs: number; writes: number; segments: number } {
    return { fsyncs: this.commit.fsyncs, writes: this.commit.writes, segments: this.segments.length }
  }

  async append(batches: Buffer, opts: { requireDurable?: boolean } = {}): Promise<AppendResult> {
    if (this.closed) throw new LogClosedError(`partition ${this.name} is closed`)
    const cfg = this.config
    const where = this.where
    const durable = cfg['flush.messages'] <= 1 || opts.requireDurable === true
    const logAppendTime = cfg['message.timestamp.type'] === 'LogAppendTime'
    // A large lone batch (the usual produce request per partition) starts its write before its
    // CRC-32C is verified, so the check overlaps the write (see GroupCommit.dispatch). Everything
    // else about the batch is checked first; LogAppendTime rewrites the CRC, so it checks first.
    const early = !logAppendTime && batches.length >= DISPATCH_MIN_BYTES && this.commit.canDispatch()
    let incoming: IncomingBatch[]
    const staged = new Map<number, ProducerEntry>()
    const now = this.clock.now()
    let next = this.logEndOffset
    try {
      incoming = checkIncoming(where, batches, cfg['max.message.bytes'], !early)
      if (!logAppendTime) checkTimestamps(where, incoming, now, cfg['message.timestamp.before.max.ms'], cfg['message.timestamp.after.max.ms'])
      for (const b of incoming) {
        if (b.producerId >= 0 && !b.control) {
          const p = { producerId: b.producerId, epoch: b.producerEpoch, firstSeq: b.baseSequence, lastSeq: b.baseSequence + b.lastOffsetDelta, maxTimestamp: b.maxTimestamp }
          const dup = this.producers.check(p, staged)
          if (dup !== undefined) {
            if (early) verifyCrcs(where, batches, incoming) // a corrupt batch is CORRUPT_MESSAGE, never a duplicate
            await this.commit.waitFor(dup.lastOffset + 1, durable)
            return { baseOffset: dup.firstOffset, lastOffset: dup.lastOffset, logAppendTime: -1, logStartOffset: this.logStartOffset, duplicate: true }
          }
          this.producers.update(p, next, next + b.lastOffsetDelta, staged)
        }
        next += b.lastOffsetDelta + 1
      }
    } catch (e) {
      // As in Kafka, corruption is reported before timestamp or sequence problems.
      if (early) checkIncoming(where, batches, cfg['max.message.bytes'])
      throw e
    }
    if (early && incoming.length === 1) return this.appendEarly(batches, incoming[0], staged, next, now, durable)
    if (early) verifyCrcs(where, batches, incoming)
    // Accepted: from here on nothing throws before the batches are queued (short of a disk error).
    this.producers.commit(staged)
    this.producerStateEnd = next
    const appendTime = logAppendTime ? now : -1
    const baseOffset = this.logEndOffset
    let offset = baseOffset
    let runStart = 0
    let runSeg = this.active
    let runPos = runSeg.size
    for (const b of incoming) {
      setBaseOffset(batches, b.position, offset)
      if (appendTime >= 0) setLogAppendTime(batches, b.position, appendTime)
      const seg = this.maybeRoll(b.size, offset, offset + b.lastOffsetDelta, now)
      if (seg !== runSeg) {
        if (b.position > runStart) this.commit.enqueue(runSeg, batches.subarray(runStart, b.position), runPos, offset, 0)
        runStart = b.position
        runSeg = seg
        runPos = seg.size
      }
      seg.track(seg.size, b.size, offset, offset + b.lastOffsetDelta, appendTime >= 0 ? appendTime : b.maxTimestamp, cfg['index.interval.bytes'])
      offset += b.lastOffsetDelta + 1
    }
    this.logEndOffset = offset
    this.commit.enqueue(runSeg, runStart === 0 ? batches : batches.subarray(runStart), runPos, offset, offset - baseOffset)
    await this.commit.waitFor(offset, durable)
    return { baseOffset, lastOffset: offset - 1, logAppendTime: appendTime, logStartOffset: this.logStartOffset }
  }

  /** One batch, checked but for its CRC: start its write, verify the CRC meanwhile, then accept it. */
  private async appendEarly(batch: Buffer, b: IncomingBatch, staged: Map<number, ProducerEntry>, next: number, now: number, durable: boolean): Promise<AppendResult> {
    const baseOffset = this.logEndOffset
    const lastOffset = baseOffset + b.lastOffsetDelta
    const seg = this.maybeRoll(b.size, baseOffset, lastOffset, now) // a roll needs no undoing: an empty segment is fine
    const pos = seg.size
    setBaseOffset(batch, 0, baseOffset)
    const write = this.commit.dispatch(seg, batch, pos)
    try {
      verifyCrcs(this.where, batch, [b])
    } catch (e) {
      this.commit.discard(seg, write, pos)
      throw e
    }
    this.producers.commit(staged)
    this.producerStateEnd = next
    seg.track(pos, b.size, baseOffset, lastOffset, b.maxTimestamp, this.config['index.interval.bytes'])
    this.logEndOffset = lastOffset + 1
    this.commit.enqueue(seg, batch, pos, lastOffset + 1, lastOffset + 1 - baseOffset, write)
    await this.commit.waitFor(lastOffset + 1, durable)
    return { baseOffset, lastOffset, logAppendTime: -1, logStartOffset: this.logStartOffset }
  }

  /** Kafka's shouldRoll: the active segment is full, too old, its index is full, or offsets overflow int32. */
  private maybeRoll(size: number, offset: number, lastOffset: number, now: number): Segment {
    const seg = this.active
    const cfg = this.config
    if (seg.isEmpty) return seg
    const full = seg.size + size > cfg['segment.bytes']
    const old = now - seg.createdMs >= cfg['segment.ms']
    if (!full && !old && !seg.indexFull(cfg['segment.index.bytes']) && lastOffset - seg.baseOffset <= INT32_MAX) return seg
    return this.roll(now, offset)
  }

  /** Seals the active segment and starts a new one at baseOffset (the next offset to assign). */
  roll(now = this.clock.now(), baseOffset = this.logEndOffset): Segment {
    const old = this.active
    if (old.isEmpty) return old
    old.sealed = true
    this.commit.seal(old)
    const seg = Segment.create(this.dir, baseOffset, this.fds, now)
    this.segments = [...this.segments, seg]
    // Named by the offset the state is complete up to (the end of the append in progress, whose
    // batches all follow); recovery replays batch headers from there.
    this.producers.writeSnapshot(this.producerStateEnd)
    return seg
  }

  /**
   * Whole batches from the one containing offset, up to maxBytes (at least one batch unless
   * minOneBatch is false), never past the high watermark. Throws OffsetOutOfRangeError outside
   * [logStartOffset, logEndOffset]; empty at or past the high watermark.
   */
  async read(offset: number, maxBytes: number, opts: { minOneBatch?: boolean } = {}): Promise<ReadResult> {
    const result = (records: Buffer): ReadResult => ({ records, highWatermark: this.highWatermark, logStartOffset: this.logStartOffset })
    for (let attempt = 0; ; attempt++) {
      // As in Kafka: past the log end is out of range; between the high watermark and the log
      // end (appended, not yet durable) there is simply nothing to serve yet.
      if (offset < this.logStartOffset || offset > this.logEndOffset) {
        throw new OffsetOutOfRangeError(`partition ${this.name}: offset ${offset} is outside [${this.logStartOffset}, ${this.logEndOffset}]`)
      }
      if (offset >= this.highWatermark) return result(EMPTY)
      try {
        return result(await readBatches(this.segments, offset, maxBytes, opts.minOneBatch !== false))
      } catch (e) {
        if (!(e instanceof SegmentGoneError) || attempt >= 5) throw e
      }
    }
  }

  /** First offset whose record timestamp >= ts (-2: earliest, -1: latest), or undefined. */
  async offsetForTimestamp(ts: number): Promise<{ offset: number; timestamp: number } | undefined> {
    if (ts === -2) return { offset: this.logStartOffset, timestamp: -1 }
    if (ts === -1) return { offset: this.highWatermark, timestamp: -1 }
    for (let attempt = 0; ; attempt++) {
      try {
        for (const seg of this.segments) {
          if (seg.maxTimestamp < ts) continue
          const found = await seg.findTimestamp(ts, seg.readableSize)
          if (found !== undefined) return { offset: Math.max(found.offset, this.logStartOffset), timestamp: found.timestamp }
        }
        return undefined
      } catch (e) {
        if (!(e instanceof SegmentGoneError) || attempt >= 5) throw e
      }
    }
  }

  producerState(producerId: number): { epoch: number; lastSequence: number } | undefined {
    const e = this.producers.get(producerId)
    if (e === undefined) return undefined
    return { epoch: e.epoch, lastSequence: e.batches.length === 0 ? -1 : e.batches[e.batches.length - 1].lastSeq }
  }

  /** Moves logStartOffset (DeleteRecords; -1 means the high watermark). Whole segments below it go. */
  async deleteRecordsBefore(offset: number): Promise<number> {
    const target = offset === -1 ? this.highWatermark : offset
    if (target < 0 || target > this.highWatermark) {
      throw new OffsetOutOfRangeError(`partition ${this.name}: cannot delete records before ${offset}; the high watermark is ${this.highWatermark}`)
    }
    if (target > this.logStartOffset) {
      this.setLogStartOffset(target, true) // DeleteRecords answers only once the new start is on disk
      deleteSegmentsBelow(this, target)
    }
    return this.logStartOffset
  }

  setLogStartOffset(offset: number, urgent = false): void {
    if (offset <= this.logStartOffset) return
    this.logStartOffset = offset
    this.onLogStart(this, urgent)
  }

  async flush(): Promise<void> {
    await this.commit.flush()
  }

  /** Flushes, writes the active segment's indexes and a producer snapshot. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true // refuse new appends; the flush below covers every accepted one
    await this.commit.flush()
    this.commit.close()
    const files = this.active.indexesSaved ? [] : this.active.indexFiles()
    const snapshot = this.producers.savedAt !== this.logEndOffset
    if (snapshot) files.push(this.producers.snapshotFile(this.logEndOffset))
    writeFilesQuick(files)
    this.active.indexesSaved = true
    if (snapshot) { this.producers.savedAt = this.logEndOffset; this.producers.pruneSnapshots() }
    for (const t of this.pendingDeletes) clearTimeout(t)
  }
}
