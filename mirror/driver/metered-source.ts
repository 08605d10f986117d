// MirrorSourceConnector for distributed mode, measured as dedicated mode measures it: each record
// acknowledged by the target (commitRecord) counts in mm2_record_count / mm2_byte_count and
// mm2_replication_latency_ms{source,target,topic,partition}. Dedicated mode's task runner observes
// the same acknowledgements; here the Connect runtime delivers them to the task.
import type { ConnectorClass, ConnectorProps, RecordMetadata, SourceRecord, SourceTaskClass } from '../../connectors/api'
import { MirrorSourceConnector, MirrorSourceTask } from '../connectors'
import type { MirrorMetrics } from './mirror-metrics'

/** A MirrorSourceConnector class whose tasks report into `metrics`. */
export function meteredSourceConnector(metrics: MirrorMetrics): ConnectorClass {
  class MeteredMirrorSourceTask extends MirrorSourceTask {
    private flow = { source: '', target: '' }

    override async start(props: ConnectorProps): Promise<void> {
      this.flow = { source: props['source.cluster.alias'] ?? '', target: props['target.cluster.alias'] ?? '' }
      await super.start(props)
    }

    override commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
      super.commitRecord(record, metadata)
      if (metadata === null) return
      const sp = record.sourcePartition as { topic?: string; partition?: number }
      const labels = { ...this.flow, topic: String(sp.topic ?? record.topic), partition: String(sp.partition ?? record.partition ?? 0) }
      if (typeof record.timestamp === 'number' && record.timestamp > 0) metrics.replicationLatency.observe(labels, Math.max(0, Date.now() - record.timestamp))
      metrics.recordCount.inc(labels)
      metrics.byteCount.inc(labels, (record.key?.length ?? 0) + (record.value?.length ?? 0))
    }
  }
  return class MeteredMirrorSourceConnector extends MirrorSourceConnector {
    override taskClass(): SourceTaskClass { return MeteredMirrorSourceTask }
  }
}
