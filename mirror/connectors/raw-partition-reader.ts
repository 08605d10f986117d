// Reads a fixed set of source partitions as raw record batches: our own Fetch v4 through kafkajs's
// connections (WireClient), one fetch loop per leader node, no consumer group at all. Positions
// move by batch headers (gaps and control batches included), so nothing is decoded here; the
// first batch of a fetch may start below the position and toRawMirrorBatch drops what lies there.
import { createLogger, type Logger } from '../../config'
import type { WireClient, WireResponse } from '../wire/kafka-client'
import { fetchRequest, fetchResponse, type FetchResult } from '../wire/fetch-request'
import { rawBatchEnd, type RawReadBatch } from './mirror-batch'
import type { TopicPartition } from './topic-partitions'

/* eslint-disable @typescript-eslint/no-require-imports */
const listOffsetsV1 = require('kafkajs/src/protocol/requests/listOffsets/v1/request') as (o: unknown) => Parameters<WireClient['send']>[1]
const { decode: decodeListOffsetsV1 } = require('kafkajs/src/protocol/requests/listOffsets/v1/response') as { decode(b: Buffer): Promise<ListOffsetsResult> }

interface ListOffsetsResult { responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number; offset: string }> }> }
/** Per-partition errors stay in the result (kafkajs's parse would throw on the first). */
const listOffsetsResponse: WireResponse<ListOffsetsResult> = { decode: decodeListOffsetsV1, parse: (r: ListOffsetsResult) => r }

const EARLIEST = -2
const OFFSET_OUT_OF_RANGE = 1
/** Errors that mean "ask metadata who leads now": unknown partition, leader not available, not leader, not available replica, fenced/unknown epoch. */
const LEADERSHIP_ERRORS = new Set([3, 5, 6, 9, 74, 76])
/** Metadata is asked again this soon for a partition without a leader (an election under way)... */
const LEADERLESS_RETRY_MS = 500
/** ...and from this, doubling to the max, while only topics the source no longer serves lack one. */
const GONE_FIRST_BACKOFF_MS = 1000
const GONE_MAX_BACKOFF_MS = 5000

export interface RawPartitionReaderOptions {
  /** Fetching pauses while this many batch bytes wait to be taken (default 16 MiB). */
  maxBufferedBytes?: number
  /** fetch.max.wait.ms (default 250 here, as the kafkajs reader had). */
  maxWaitMs?: number
  /** max.partition.fetch.bytes (Kafka's default 1 MiB). */
  maxBytesPerPartition?: number
  /** fetch.max.bytes (Kafka's default 50 MiB). */
  maxBytes?: number
  /** Source partitions ("topic\0partition") not to fetch for now: their target is stalled (see RawBatchSender.held). */
  held?: (key: string) => boolean
  /** Per-request timeout beyond the fetch's own wait (default 30 s). */
  requestTimeoutMs?: number
  log?: Logger
}

interface Position { tp: TopicPartition; key: string; next: number | undefined; busy: boolean }

export class RawPartitionReader {
  private buffer: RawReadBatch[] = []
  private bufferedBytes = 0
  private readonly positions: Position[]
  private readonly loops = new Map<number, Promise<void>>()
  private wake: (() => void) | undefined
  private drained: Array<() => void> = []
  private stopped = false
  private refreshing: Promise<void> | undefined
  private leaderlessTimer: NodeJS.Timeout | undefined
  /** Delay of the next metadata load while only topics the source no longer serves lack leaders. */
  private goneBackoff = GONE_FIRST_BACKOFF_MS
  /** Topics the source did not serve at the last load (deleted, say) -> why, as last logged. */
  private gone = new Map<string, string>()
  private readonly log: Logger

  constructor(
    private readonly client: WireClient,
    assigned: TopicPartition[],
    /** Next offset to read per "topic\0partition"; absent = from the earliest. */
    startOffsets: Map<string, number>,
    private readonly opts: RawPartitionReaderOptions = {},
  ) {
    this.log = opts.log ?? createLogger('mirror-raw-partition-reader')
    this.positions = assigned.map((tp) => {
      const key = `${tp.topic}\u0000${tp.partition}`
      return { tp, key, next: startOffsets.get(key), busy: false }
    })
  }

  /** Connects, loads metadata and starts one fetch loop per leader node. */
  async start(): Promise<void> {
    if (this.positions.length === 0) return
    await this.client.connect()
    await this.client.refreshMetadata(this.topics())
    this.noteGone()
    this.ensureLoops()
  }

  private topics(): string[] { return [...new Set(this.positions.map((p) => p.tp.topic))] }

  /** A loop for every node that leads one of our partitions and has none yet. */
  private ensureLoops(): void {
    if (this.stopped) return
    let leaderless = false
    let electing = false
    for (const p of this.positions) {
      const node = this.client.leaderOf(p.tp.topic, p.tp.partition)
      if (node === undefined) {
        leaderless = true
        electing ||= this.client.unavailableReason(p.tp.topic) === undefined
        continue
      }
      if (this.loops.has(node)) continue
      this.loops.set(node, this.loop(node).finally(() => { this.loops.delete(node); this.ensureLoops() }))
    }
    // No loop would notice a partition without a leader: look again shortly. A topic the source
    // no longer serves (deleted) is looked for less and less often until the connector reassigns
    // the task; it never holds up the other partitions, which their loops keep fetching.
    if (leaderless && this.leaderlessTimer === undefined) {
      let delay = LEADERLESS_RETRY_MS
      if (!electing) { delay = this.goneBackoff; this.goneBackoff = Math.min(this.goneBackoff * 2, GONE_MAX_BACKOFF_MS) }
      this.leaderlessTimer = setTimeout(() => { this.leaderlessTimer = undefined; void this.refreshMetadata() }, delay)
    }
    if (!leaderless || electing) this.goneBackoff = GONE_FIRST_BACKOFF_MS
  }

  /**
   * Logs once when source topics stop being served, and when they are back. A topic back after
   * UNKNOWN_TOPIC_OR_PARTITION was deleted and created anew: it is read from its earliest offset
   * (positions in the old topic mean nothing there; reading from them could skip records).
   */
  private noteGone(): void {
    const now = new Map<string, string>()
    for (const t of this.topics()) {
      const reason = this.client.unavailableReason(t)
      if (reason !== undefined) now.set(t, reason)
    }
    const lost = [...now.keys()].filter((t) => !this.gone.has(t))
    const back = [...this.gone].filter(([t]) => !now.has(t))
    this.gone = now
    if (lost.length > 0) {
      this.log.warn({ topics: Object.fromEntries(lost.map((t) => [t, now.get(t)])) }, 'source topics not served (deleted?); their partitions wait, the others go on')
    }
    if (back.length === 0) return
    const recreated = new Set(back.filter(([, reason]) => reason === 'UNKNOWN_TOPIC_OR_PARTITION').map(([t]) => t))
    for (const p of this.positions) if (recreated.has(p.tp.topic) && !p.busy) p.next = undefined
    this.log.info({ topics: back.map(([t]) => t), fromEarliest: [...recreated] }, 'source topics served again')
  }

  private async loop(node: number): Promise<void> {
    let backoff = 100
    while (!this.stopped) {
      // A partition is in one request at a time, even while its leadership moves between loops.
      const led = this.positions.filter((p) => this.client.leaderOf(p.tp.topic, p.tp.partition) === node)
      if (led.length === 0) return
      const held = this.opts.held
      const mine = led.filter((p) => !p.busy && held?.(p.key) !== true)
      // Waiting for a fetch in flight is short; a held partition waits for its target to take writes.
      if (mine.length === 0) { await new Promise((r) => setTimeout(r, led.some((p) => p.busy) ? 20 : 100)); continue }
      await this.roomToFetch()
      if (this.stopped) return
      for (const p of mine) p.busy = true
      let refresh: boolean
      try {
        refresh = await this.fetchOnce(node, mine)
        if (refresh) this.log.info({ node }, 'source partition leadership moved; reloading metadata')
      } catch (err) {
        refresh = true
        if (!this.stopped) this.log.warn({ err, node }, 'raw fetch failed; refreshing metadata and retrying')
      } finally {
        for (const p of mine) p.busy = false
      }
      if (this.stopped) return
      if (!refresh) { backoff = 100; continue }
      await new Promise((r) => setTimeout(r, backoff))
      backoff = Math.min(backoff * 2, 5000)
      await this.refreshMetadata()
    }
  }

  /** One fetch for these partitions; true when metadata must be reloaded. */
  private async fetchOnce(node: number, mine: Position[]): Promise<boolean> {
    const unset = mine.filter((p) => p.next === undefined)
    if (unset.length > 0) await this.resetToEarliest(node, unset)
    const maxWaitMs = this.opts.maxWaitMs ?? 250
    const res: FetchResult = await this.client.send(node, fetchRequest(
      { maxWaitMs, maxBytes: this.opts.maxBytes ?? 52428800 },
      mine.map((p) => ({ topic: p.tp.topic, partition: p.tp.partition, fetchOffset: p.next!, maxBytes: this.opts.maxBytesPerPartition ?? 1048576 })),
    ), fetchResponse, maxWaitMs + (this.opts.requestTimeoutMs ?? 30000))
    if (this.stopped) return false
    const byKey = new Map(mine.map((p) => [p.key, p]))
    const outOfRange: Position[] = []
    let refresh = false
    for (const r of res.partitions) {
      const p = byKey.get(`${r.topic}\u0000${r.partition}`)
      if (p === undefined) continue
      if (r.errorCode === OFFSET_OUT_OF_RANGE) { outOfRange.push(p); continue }
      if (r.errorCode !== 0) {
        if (!LEADERSHIP_ERRORS.has(r.errorCode)) this.log.warn({ topic: r.topic, partition: r.partition, errorCode: r.errorCode }, 'fetch error on a source partition; retrying')
        refresh = true
        continue
      }
      if (r.batches.length === 0) continue
      const end = rawBatchEnd(r.batches[r.batches.length - 1])
      if (end <= p.next!) continue
      let bytes = 0
      for (const b of r.batches) bytes += b.length
      this.buffer.push({ topic: r.topic, partition: r.partition, batches: r.batches, fromOffset: p.next!, highWatermark: r.highWatermark })
      this.bufferedBytes += bytes
      p.next = end
    }
    if (outOfRange.length > 0) {
      // MM2's consumer runs with auto.offset.reset=earliest: what was deleted cannot be copied.
      const from = Object.fromEntries(outOfRange.map((p) => [p.key.replace('\u0000', '-'), p.next]))
      await this.resetToEarliest(node, outOfRange)
      this.log.warn({ from, to: Object.fromEntries(outOfRange.map((p) => [p.key.replace('\u0000', '-'), p.next])) }, 'fetch offset out of range; reset to the earliest offset')
    }
    if (this.buffer.length > 0) this.wake?.()
    return refresh
  }

  private async resetToEarliest(node: number, ps: Position[]): Promise<void> {
    const byTopic = new Map<string, Position[]>()
    for (const p of ps) byTopic.set(p.tp.topic, [...(byTopic.get(p.tp.topic) ?? []), p])
    const res = await this.client.send(node, listOffsetsV1({
      replicaId: -1,
      topics: [...byTopic].map(([topic, list]) => ({ topic, partitions: list.map((p) => ({ partition: p.tp.partition, timestamp: EARLIEST })) })),
    }), listOffsetsResponse)
    for (const t of res.responses) {
      for (const r of t.partitions) {
        const p = ps.find((x) => x.tp.topic === t.topic && x.tp.partition === r.partition)
        if (p === undefined) continue
        if (r.errorCode !== 0) throw new Error(`ListOffsets for ${t.topic}-${r.partition} failed with error code ${r.errorCode}`)
        p.next = Number(r.offset)
      }
    }
  }

  /** One metadata load at a time; then loops for leaders that have none. */
  private async refreshMetadata(): Promise<void> {
    this.refreshing ??= this.client.refreshMetadata(this.topics())
      .then(() => this.noteGone(), (err: unknown) => { this.log.warn({ err }, 'metadata refresh failed') })
      .finally(() => { this.refreshing = undefined })
    await this.refreshing
    this.ensureLoops()
  }

  /** Backpressure: waits while the task has not taken what was read. */
  private async roomToFetch(): Promise<void> {
    const max = this.opts.maxBufferedBytes ?? 16 * 1024 * 1024
    while (this.bufferedBytes >= max && !this.stopped) await new Promise<void>((r) => this.drained.push(r))
  }

  /** Everything read so far, waiting up to `maxWaitMs` for something to arrive. */
  async takeBatches(maxWaitMs: number): Promise<RawReadBatch[]> {
    if (this.buffer.length === 0 && !this.stopped) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { this.wake = undefined; resolve() }, maxWaitMs)
        this.wake = () => { clearTimeout(t); this.wake = undefined; resolve() }
      })
    }
    const out = this.buffer
    this.buffer = []
    this.bufferedBytes = 0
    const d = this.drained
    this.drained = []
    for (const r of d) r()
    return out
  }

  /** Ends a takeBatches() that is waiting. */
  wakeup(): void { this.wake?.() }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.leaderlessTimer !== undefined) clearTimeout(this.leaderlessTimer)
    this.wake?.()
    for (const r of this.drained.splice(0)) r()
    // In-flight fetches end within their max wait; then the connections close.
    await Promise.all([...this.loops.values()])
    await this.client.disconnect().catch(() => undefined)
  }
}
