// MirrorCheckpointConnector whose tasks report mm2_checkpoint_latency_ms{source,target,group,topic,
// partition}: the time from a checkpoint's creation (its record timestamp) to the target's
// acknowledgement, as MM2 measures checkpoint-latency-ms. Used by dedicated and distributed mode.
import type { ConnectorProps, RecordMetadata, SourceRecord, SourceTaskClass } from '../../connectors/api'
import { MirrorCheckpointConnector, MirrorCheckpointTask } from '../connectors'
import type { MirrorMetrics } from './mirror-metrics'

/** A MirrorCheckpointConnector class whose tasks report into `metrics`. */
export function meteredCheckpointConnector(metrics: MirrorMetrics): new () => MirrorCheckpointConnector {
  class MeteredMirrorCheckpointTask extends MirrorCheckpointTask {
    private flow = { source: '', target: '' }

    override async start(props: ConnectorProps): Promise<void> {
      this.flow = { source: props['source.cluster.alias'] ?? '', target: props['target.cluster.alias'] ?? '' }
      await super.start(props)
    }

    override commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
      super.commitRecord(record, metadata)
      if (metadata === null || typeof record.timestamp !== 'number') return
      const sp = record.sourcePartition as { group?: string; topic?: string; partition?: number }
      metrics.checkpointLatency.observe(
        { ...this.flow, group: String(sp.group ?? ''), topic: String(sp.topic ?? ''), partition: String(sp.partition ?? 0) },
        Math.max(0, Date.now() - record.timestamp),
      )
    }
  }
  return class MeteredMirrorCheckpointConnector extends MirrorCheckpointConnector {
    override taskClass(): SourceTaskClass { return MeteredMirrorCheckpointTask }
  }
}
