// Connector: the part of a plugin that reads its configuration and splits the work into task
// configurations. It runs in the herder; tasks run in the worker. Kafka Connect's model, minus
// schemas and converters.
import type { ConfigDef, KeySpecs, KeyValidation } from '../../config'
import type { SourceOffset, SourcePartition, TopicPartitionOffset } from './records'
import type { SinkTaskClass, SourceTaskClass } from './task'

/** Connector configuration as given by the user: string keys and string values. */
export type ConnectorProps = Record<string, string>

export type ConnectorType = 'source' | 'sink'

/** What the runtime offers a running connector. */
export interface ConnectorContext {
  /** Asks the herder to call taskConfigs() again (e.g. a new source table or topic appeared). */
  requestTaskReconfiguration(): void
  /** Marks the connector FAILED with this error (e.g. a background monitor failed). */
  raiseError(err: Error): void
}

abstract class ConnectorBase {
  protected context!: ConnectorContext

  /** Called by the runtime once, before start. */
  initialize(context: ConnectorContext): void {
    this.context = context
  }

  /** The plugin's version, shown by GET /connector-plugins. */
  version(): string {
    return '0.1.0'
  }

  /** Declares the connector's own keys (the runtime adds name, connector.class, tasks.max, errors.*, ...). */
  abstract config(): ConfigDef<KeySpecs>

  /**
   * Per-key validation for PUT /connector-plugins/{type}/config/validate and for every config
   * change. The default validates `config()` and ignores keys it does not declare. Override to add
   * cross-key checks (push errors into the matching entry).
   */
  validate(props: ConnectorProps): KeyValidation[] {
    return this.config().validate(props, { allowUnknown: true })
  }

  abstract start(props: ConnectorProps): void | Promise<void>

  /** Up to `maxTasks` configurations, one per task to run. */
  abstract taskConfigs(maxTasks: number): ConnectorProps[] | Promise<ConnectorProps[]>

  abstract stop(): void | Promise<void>
}

export abstract class SourceConnector extends ConnectorBase {
  readonly type = 'source' as const
  abstract taskClass(): SourceTaskClass

  /**
   * Called before PATCH/DELETE /connectors/{name}/offsets writes offsets (offset null = reset).
   * Throw to refuse them; the message reaches the REST caller. The default accepts.
   */
  alterOffsets(_props: ConnectorProps, _offsets: Array<{ partition: SourcePartition; offset: SourceOffset | null }>): void | Promise<void> {}
}

export abstract class SinkConnector extends ConnectorBase {
  readonly type = 'sink' as const
  abstract taskClass(): SinkTaskClass

  /** As SourceConnector.alterOffsets, for consumer-group offsets (offset null = reset). */
  alterOffsets(_props: ConnectorProps, _offsets: Array<Omit<TopicPartitionOffset, 'offset'> & { offset: number | null }>): void | Promise<void> {}
}

export type Connector = SourceConnector | SinkConnector

/** Plugins are classes with a no-argument constructor. */
export type ConnectorClass = new () => Connector
