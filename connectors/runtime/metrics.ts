// Prometheus metrics of one worker, in a registry of its own so several workers can live in one
// process (tests). Names follow Connect's metric names, snake_cased, with connector/task labels.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

const TASK = ['connector', 'task'] as const
const STATES = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'RESTARTING'] as const

export class ConnectMetrics {
  readonly registry = new Registry()
  readonly taskStatus = new Gauge({ name: 'connect_task_status', help: '1 for the task\'s current status, 0 for the others', labelNames: [...TASK, 'status'], registers: [this.registry] })
  readonly sourceRecordsPolled = new Counter({ name: 'connect_source_record_poll_total', help: 'Records returned by source tasks\' poll()', labelNames: TASK, registers: [this.registry] })
  readonly sourceRecordsWritten = new Counter({ name: 'connect_source_record_write_total', help: 'Source records acknowledged by Kafka', labelNames: TASK, registers: [this.registry] })
  readonly sourceTaskWritesItself = new Gauge({ name: 'connect_source_task_writes_itself', help: 'Godwit extension: 1 while a source task writes to Kafka itself (SelfWritingSourceTask) instead of through the worker\'s producer', labelNames: TASK, registers: [this.registry] })
  readonly sinkRecordsRead = new Counter({ name: 'connect_sink_record_read_total', help: 'Records consumed by sink tasks', labelNames: TASK, registers: [this.registry] })
  readonly sinkRecordsSent = new Counter({ name: 'connect_sink_record_send_total', help: 'Records handed to sink tasks\' put()', labelNames: TASK, registers: [this.registry] })
  readonly batchSize = new Histogram({ name: 'connect_batch_size', help: 'Records per poll() or put() batch', labelNames: TASK, buckets: [1, 10, 100, 500, 1000, 5000, 10000], registers: [this.registry] })
  readonly offsetCommitLatency = new Histogram({ name: 'connect_offset_commit_latency_ms', help: 'Time to commit offsets', labelNames: TASK, buckets: [1, 5, 10, 50, 100, 500, 1000, 5000], registers: [this.registry] })
  readonly offsetCommitFailures = new Counter({ name: 'connect_offset_commit_failure_total', help: 'Failed offset commits', labelNames: TASK, registers: [this.registry] })
  readonly offsetCommitSuccesses = new Counter({ name: 'connect_offset_commit_success_total', help: 'Successful offset commits', labelNames: TASK, registers: [this.registry] })
  readonly recordErrors = new Counter({ name: 'connect_task_error_total', help: 'Record processing errors (tolerated or not), by stage', labelNames: [...TASK, 'stage'], registers: [this.registry] })
  readonly recordsSkipped = new Counter({ name: 'connect_task_records_skipped_total', help: 'Records skipped by errors.tolerance=all', labelNames: TASK, registers: [this.registry] })
  readonly dlqProduceRequests = new Counter({ name: 'connect_deadletterqueue_produce_requests_total', help: 'Records written to the dead-letter queue', labelNames: TASK, registers: [this.registry] })
  readonly dlqProduceFailures = new Counter({ name: 'connect_deadletterqueue_produce_failures_total', help: 'Failed dead-letter queue writes', labelNames: TASK, registers: [this.registry] })
  readonly retries = new Counter({ name: 'connect_task_retry_total', help: 'Retries of retriable failures (send, poll, put, commit)', labelNames: TASK, registers: [this.registry] })

  setTaskStatus(connector: string, task: number, state: string | undefined): void {
    for (const s of STATES) this.taskStatus.set({ connector, task: String(task), status: s }, s === state ? 1 : 0)
  }

  removeTask(connector: string, task: number): void {
    for (const s of STATES) this.taskStatus.remove({ connector, task: String(task), status: s })
  }
}
