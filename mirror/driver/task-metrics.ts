// What one replication task reports into MirrorMetrics: the age of each record (batch) when the
// task polls it, and on the target's acknowledgement the record and byte counts, the replication
// latency, and the lag of its source partition: the source high watermark last fetched minus the
// next upstream offset still to be acknowledged.
import type { SourceRecord } from '../../connectors/api'
import type { MirrorSourceRecord } from '../connectors'
import type { RawMirrorBatch } from '../connectors/mirror-batch'
import type { MirrorMetrics } from './mirror-metrics'

type Labels = { source: string; target: string; topic: string; partition: string }

/** Observes now minus each timestamp (ms); unset timestamps (0 or less) are left out. */
function observeSince(histogram: { observe(value: number): void }, timestamps: readonly number[]): void {
  const now = Date.now()
  for (const ts of timestamps) if (ts > 0) histogram.observe(Math.max(0, now - ts))
}

export class TaskMetrics {
  /** Per "topic\0partition": the latest source high watermark fetched, and the next offset to acknowledge. */
  private readonly highWatermark = new Map<string, number>()
  private readonly nextToAck = new Map<string, number>()

  constructor(private readonly m: { metrics: MirrorMetrics; source: string; target: string }) {}

  /** Raw batches as polled: one age per record batch, from its latest timestamp (records are not decoded). */
  polledRaw(b: RawMirrorBatch): void {
    const labels = this.labels(b.sourcePartition)
    observeSince(this.m.metrics.recordAge.labels(labels), b.maxTimestamps)
    this.fetched(b.sourceKey, labels, b.sourceHighWatermark)
  }

  /** The record-at-a-time path: a record as polled. */
  polledRecord(r: SourceRecord): void {
    if (typeof r.timestamp === 'number' && r.timestamp > 0) this.m.metrics.recordAge.observe(this.recordLabels(r), Math.max(0, Date.now() - r.timestamp))
  }

  /** Records and bytes (as sent, compressed) per batch; latency once per record batch, from its latest timestamp. */
  ackedRaw(b: RawMirrorBatch): void {
    const labels = this.labels(b.sourcePartition)
    observeSince(this.m.metrics.replicationLatency.labels(labels), b.maxTimestamps)
    this.m.metrics.recordCount.inc(labels, b.offsets.length)
    this.m.metrics.byteCount.inc(labels, b.bytes)
    this.ackedUpTo(b.sourceKey, labels, b.offsets[b.offsets.length - 1])
  }

  /** The record-at-a-time path (Connect's worker, or a task without batches). */
  ackedRecord(r: SourceRecord): void {
    const labels = this.recordLabels(r)
    if (typeof r.timestamp === 'number' && r.timestamp > 0) this.m.metrics.replicationLatency.observe(labels, Math.max(0, Date.now() - r.timestamp))
    this.m.metrics.recordCount.inc(labels)
    this.m.metrics.byteCount.inc(labels, (r.key?.length ?? 0) + (r.value?.length ?? 0))
    const key = `${labels.topic}\u0000${labels.partition}`
    this.fetched(key, labels, (r as MirrorSourceRecord).sourceHighWatermark)
    const offset = (r.sourceOffset as { offset?: unknown }).offset
    if (typeof offset === 'number') this.ackedUpTo(key, labels, offset)
  }

  private fetched(key: string, labels: Labels, highWatermark: number | undefined): void {
    if (highWatermark === undefined) return
    if (highWatermark > (this.highWatermark.get(key) ?? -1)) this.highWatermark.set(key, highWatermark)
    this.setLag(key, labels)
  }

  private ackedUpTo(key: string, labels: Labels, lastOffset: number): void {
    this.nextToAck.set(key, lastOffset + 1)
    this.setLag(key, labels)
  }

  private setLag(key: string, labels: Labels): void {
    const hw = this.highWatermark.get(key)
    const next = this.nextToAck.get(key)
    if (hw !== undefined && next !== undefined) this.m.metrics.replicationLag.set(labels, Math.max(0, hw - next))
  }

  private recordLabels(r: SourceRecord): Labels {
    const sp = r.sourcePartition as { topic?: string; partition?: number }
    return this.labels({ topic: sp.topic ?? r.topic, partition: sp.partition ?? r.partition ?? 0 })
  }

  private labels(sp: unknown): Labels {
    const p = sp as { topic: string; partition: number }
    return { source: this.m.source, target: this.m.target, topic: String(p.topic), partition: String(p.partition) }
  }
}
