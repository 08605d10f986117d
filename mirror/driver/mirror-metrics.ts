// Prometheus metrics of one startMirror instance, in a registry of its own (several mirrors can
// live in one process). Names in MM2's vocabulary: mm2_replication_latency_ms{source,target,topic,partition}.
import { Counter, Histogram, Registry } from 'prom-client'

const LABELS = ['source', 'target', 'topic', 'partition'] as const

export class MirrorMetrics {
  readonly registry = new Registry()
  readonly replicationLatency = new Histogram({
    name: 'mm2_replication_latency_ms', help: 'Time from a record\'s timestamp to its acknowledgement by the target cluster',
    labelNames: LABELS, buckets: [5, 10, 50, 100, 500, 1000, 5000, 30000, 300000], registers: [this.registry],
  })
  readonly recordCount = new Counter({ name: 'mm2_record_count', help: 'Records replicated to the target cluster', labelNames: LABELS, registers: [this.registry] })
  readonly byteCount = new Counter({ name: 'mm2_byte_count', help: 'Key and value bytes replicated to the target cluster', labelNames: LABELS, registers: [this.registry] })
}
