// Tasks do the copying. A SourceTask polls an external system and returns records that the
// runtime produces to Kafka; a SinkTask receives consumed records and writes them out. Tasks are
// constructed with no arguments, then initialize(context), then start(props).
import type {
  RecordMetadata, SinkRecord, SourceOffset, SourcePartition, SourceRecord, TopicPartition, TopicPartitionOffset,
} from './records'
import type { ConnectorProps } from './connector'

/** Reads the committed source offsets of this connector (any task's partitions). */
export interface OffsetStorageReader {
  offset(partition: SourcePartition): Promise<SourceOffset | null>
  /** In the order given; null where nothing was committed. */
  offsets(partitions: SourcePartition[]): Promise<Array<SourceOffset | null>>
}

export interface SourceTaskContext {
  readonly connector: string
  readonly taskId: number
  readonly config: ConnectorProps
  readonly offsetStorageReader: OffsetStorageReader
}

export abstract class SourceTask {
  protected context!: SourceTaskContext

  initialize(context: SourceTaskContext): void {
    this.context = context
  }

  version(): string {
    return '0.1.0'
  }

  abstract start(props: ConnectorProps): void | Promise<void>

  /**
   * The next records, or null/[] when there are none right now. May wait a little (up to about a
   * second) for data; the runtime calls it again in a loop. Throwing fails the task unless the
   * error is retriable (GodwitError.retriable), in which case poll is retried with backoff.
   */
  abstract poll(): Promise<SourceRecord[] | null>

  /** Called per record once the broker acknowledged it (metadata null if it was filtered/dropped). */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): void | Promise<void> {}

  /** Called after the runtime committed the source offsets of everything acknowledged so far. */
  commit(): void | Promise<void> {}

  /** Stop: release resources. poll() is not called again; an in-flight poll may still finish. */
  abstract stop(): void | Promise<void>
}

/**
 * Godwit extension (Kafka Connect has no such thing): a source task that writes to Kafka itself,
 * e.g. MM2's source task forwarding record batches as bytes. The worker still owns the loop,
 * pause/resume/stop, failures and the offset commits; the task owns reading and producing.
 *
 * Before start(), the worker calls writeItself() with the producer settings it would use for the
 * task (Kafka's names, Connect's producer.* rules applied, prefix stripped). Returning false keeps
 * the ordinary poll() path. Returning true means: the worker calls pollAndWrite() in its loop
 * instead of poll(), never produces for the task, and commits, every offset.flush.interval.ms,
 * the source offsets the task reported through `acks.acknowledged` (then calls commit()). On
 * pause and stop it awaits flushWrites() first, so what is committed is what Kafka acknowledged.
 */
export interface SelfWritingSourceTask {
  writeItself(producerProps: Record<string, string>, acks: SourceWriteListener): boolean
  /**
   * Reads what is available (may wait up to about a second) and hands it to the task's producer;
   * resolves with the number of records read once the task can take more (its own backpressure).
   * Throwing fails the task unless the error is retriable, as for poll().
   */
  pollAndWrite(): Promise<number>
  /** Resolves once everything handed to the producer so far is acknowledged (or the task stops). */
  flushWrites(): Promise<void>
  /**
   * Optional: the worker is stopping the task. End a waiting pollAndWrite() soon and send nothing
   * new; flushWrites() then waits only for writes already in flight (what was never sent is not
   * committed, so the task's next owner reads it again).
   */
  wakeup?(): void
}

/** How a self-writing task reports what Kafka acknowledged, in order per source partition. */
export interface SourceWriteListener {
  /** `records` more records were acknowledged; each entry is a source partition's latest acknowledged offset. */
  acknowledged(records: number, offsets: Array<{ partition: SourcePartition; offset: SourceOffset }>): void
}

export function isSelfWritingSourceTask(t: unknown): t is SelfWritingSourceTask {
  const x = t as Partial<SelfWritingSourceTask>
  return typeof x.writeItself === 'function' && typeof x.pollAndWrite === 'function' && typeof x.flushWrites === 'function'
}

/** Reports a record a sink task cannot process, without failing the task (errors.tolerance=all + DLQ). */
export type ErrantRecordReporter = (record: SinkRecord, error: Error) => Promise<void>

export interface SinkTaskContext {
  readonly connector: string
  readonly taskId: number
  readonly config: ConnectorProps
  /** The partitions this task currently owns. */
  assignment(): TopicPartition[]
  /** Rewind/advance consumption: the next record delivered for the partition has this offset. */
  offset(offsets: TopicPartitionOffset[]): void
  /** Stop/restart delivering records from these partitions (e.g. the destination is backed up). */
  pause(partitions: TopicPartition[]): void
  resume(partitions: TopicPartition[]): void
  /** Asks for a flush + offset commit soon, rather than at the next interval. */
  requestCommit(): void
  /** Present when errors.tolerance=all: route a bad record to the dead-letter queue and go on. */
  readonly errantRecordReporter: ErrantRecordReporter | undefined
}

export abstract class SinkTask {
  protected context!: SinkTaskContext

  initialize(context: SinkTaskContext): void {
    this.context = context
  }

  version(): string {
    return '0.1.0'
  }

  abstract start(props: ConnectorProps): void | Promise<void>

  /** Partitions newly assigned to this task (a rebalance or the first assignment). */
  open(_partitions: TopicPartition[]): void | Promise<void> {}

  /** Write these records (or buffer them to write at flush). Throwing a retriable error redelivers the batch. */
  abstract put(records: SinkRecord[]): Promise<void>

  /** Make everything put() so far durable. `offsets` are the positions that will be committed. */
  flush(_offsets: TopicPartitionOffset[]): void | Promise<void> {}

  /**
   * Called before committing consumer offsets; returns the offsets that are safe to commit. The
   * default flushes and returns them all. A task that writes asynchronously returns less.
   */
  async preCommit(offsets: TopicPartitionOffset[]): Promise<TopicPartitionOffset[]> {
    await this.flush(offsets)
    return offsets
  }

  /** Partitions taken away (after their last preCommit). */
  close(_partitions: TopicPartition[]): void | Promise<void> {}

  abstract stop(): void | Promise<void>
}

export type SourceTaskClass = new () => SourceTask
export type SinkTaskClass = new () => SinkTask
