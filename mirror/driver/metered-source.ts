// MirrorSourceConnector for distributed mode, measured as dedicated mode measures it (TaskMetrics):
// each record polled counts in mm2_record_age_ms, each record acknowledged by the target
// (commitRecord) in mm2_record_count / mm2_byte_count / mm2_replication_latency_ms and the
// partition's mm2_replication_lag_records. Here the Connect runtime delivers both to the task;
// on the raw path (the task writes itself) whole batches are measured as TaskRunner measures them.
import type { ConnectorClass, ConnectorProps, RecordMetadata, SourceRecord, SourceTaskClass } from '../../connectors/api'
import { MirrorSourceConnector, MirrorSourceTask } from '../connectors'
import type { RawMirrorBatch } from '../connectors/mirror-batch'
import type { MirrorMetrics } from './mirror-metrics'
import { TaskMetrics } from './task-metrics'

/** A MirrorSourceConnector class whose tasks report into `metrics`. */
export function meteredSourceConnector(metrics: MirrorMetrics): ConnectorClass {
  class MeteredMirrorSourceTask extends MirrorSourceTask {
    private measured: TaskMetrics | undefined

    override async start(props: ConnectorProps): Promise<void> {
      this.measured = new TaskMetrics({ metrics, source: props['source.cluster.alias'] ?? '', target: props['target.cluster.alias'] ?? '' })
      await super.start(props)
    }

    override async poll(): Promise<SourceRecord[] | null> {
      const records = await super.poll()
      for (const r of records ?? []) this.measured?.polledRecord(r)
      return records
    }

    override async pollRawBatches(): Promise<RawMirrorBatch[]> {
      const batches = await super.pollRawBatches()
      if (this.measured !== undefined) for (const b of batches) this.measured.polledRaw(b)
      return batches
    }

    override commitRawBatch(batch: RawMirrorBatch, baseOffset: number): void {
      super.commitRawBatch(batch, baseOffset)
      this.measured?.ackedRaw(batch)
    }

    override commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
      super.commitRecord(record, metadata)
      if (metadata !== null) this.measured?.ackedRecord(record)
    }
  }
  return class MeteredMirrorSourceConnector extends MirrorSourceConnector {
    override taskClass(): SourceTaskClass { return MeteredMirrorSourceTask }
  }
}
