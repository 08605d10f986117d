// Prometheus metrics of one startMirror instance, in a registry of its own (several mirrors can
// live in one process). MM2's metric names (record-count, record-rate, record-age-ms,
// byte-count, byte-rate, replication-latency-ms, checkpoint-latency-ms) with dashes as
// underscores and an mm2_ prefix, labelled {source,target,topic,partition} (checkpoints also
// {group}), plus replication lag in records per partition, which MM2 does not report.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { WindowedRate } from './windowed-rate'

const LABELS = ['source', 'target', 'topic', 'partition'] as const
type Labels = Partial<Record<(typeof LABELS)[number], string>>
const LATENCY_BUCKETS = [5, 10, 50, 100, 500, 1000, 5000, 30000, 300000]

/** A counter whose increments also feed a windowed per-second rate gauge (MM2's *-count and *-rate pairs). */
class CountAndRate {
  private readonly counter: Counter<(typeof LABELS)[number]>
  private readonly window = new WindowedRate(30)

  constructor(registry: Registry, count: { name: string; help: string }, rate: { name: string; help: string }) {
    this.counter = new Counter({ ...count, labelNames: LABELS, registers: [registry] })
    const window = this.window
    new Gauge({
      ...rate, labelNames: LABELS, registers: [registry],
      collect() {
        this.reset()
        for (const r of window.rates()) this.set(r.labels, r.perSecond)
      },
    })
  }

  inc(labels: Labels, amount = 1): void {
    this.counter.inc(labels, amount)
    this.window.add(labels as Record<string, string>, amount)
  }
}

export class MirrorMetrics {
  readonly registry = new Registry()
  readonly replicationLatency = new Histogram({
    name: 'mm2_replication_latency_ms', help: 'Time from a record\'s timestamp to its acknowledgement by the target cluster',
    labelNames: LABELS, buckets: LATENCY_BUCKETS, registers: [this.registry],
  })
  readonly recordAge = new Histogram({
    name: 'mm2_record_age_ms', help: 'Age of a source record (now minus its timestamp) when the mirror reads it',
    labelNames: LABELS, buckets: LATENCY_BUCKETS, registers: [this.registry],
  })
  readonly recordCount = new CountAndRate(this.registry,
    { name: 'mm2_record_count', help: 'Records replicated to the target cluster' },
    { name: 'mm2_record_rate', help: 'Records replicated per second, averaged over the last 30 s' })
  readonly byteCount = new CountAndRate(this.registry,
    { name: 'mm2_byte_count', help: 'Bytes replicated to the target cluster' },
    { name: 'mm2_byte_rate', help: 'Bytes replicated per second, averaged over the last 30 s' })
  readonly replicationLag = new Gauge({
    name: 'mm2_replication_lag_records', help: 'Records in the source partition not yet acknowledged by the target (source high watermark minus the next offset to replicate)',
    labelNames: LABELS, registers: [this.registry],
  })
  readonly checkpointLatency = new Histogram({
    name: 'mm2_checkpoint_latency_ms', help: 'Time from a checkpoint\'s creation to its acknowledgement by the target cluster',
    labelNames: ['source', 'target', 'group', 'topic', 'partition'], buckets: LATENCY_BUCKETS, registers: [this.registry],
  })
}
