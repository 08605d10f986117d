// The Herder is the one façade the REST layer calls (Connect's Herder). The standalone herder
// implements it over one Worker; the distributed herder (connectors/distributed) implements it
// over several. Payload shapes are Kafka Connect's REST JSON, so REST routes stay thin.
import type { ConnectorProps, ConnectorType, Json } from '../api'
import type { TargetState } from '../storage'
import type { PluginInfo } from './plugins'
import type { ConfigInfos } from './validation'
import type { ConnectorTaskId } from './worker-task'

export interface ConnectorInfo {
  name: string
  config: ConnectorProps
  tasks: ConnectorTaskId[]
  type: ConnectorType | 'unknown'
}

export interface StateJson {
  state: string
  worker_id: string
  trace?: string
}

export interface ConnectorStateInfo {
  name: string
  connector: StateJson
  tasks: Array<StateJson & { id: number }>
  type: ConnectorType | 'unknown'
}

export interface TaskInfo {
  id: ConnectorTaskId
  config: ConnectorProps
}

/** GET /connectors/{name}/offsets. Sinks use partition {kafka_topic, kafka_partition} and offset {kafka_offset}. */
export interface ConnectorOffsets {
  offsets: Array<{ partition: { [k: string]: Json }; offset: { [k: string]: Json } | null }>
}

export interface RestartRequest {
  includeTasks: boolean
  onlyFailed: boolean
}

export interface Herder {
  readonly workerId: string
  start(): Promise<void>
  stop(): Promise<void>
  kafkaClusterId(): Promise<string>
  connectors(): Promise<string[]>
  connectorInfo(name: string): Promise<ConnectorInfo>
  connectorConfig(name: string): Promise<ConnectorProps>
  /** Creates or replaces. Throws ConnectorConfigError (every problem), ConnectorExistsError when !allowReplace. */
  putConnectorConfig(name: string, config: ConnectorProps, opts: { allowReplace: boolean; initialState?: TargetState }): Promise<{ created: boolean; info: ConnectorInfo }>
  /** Merges `patch` into the config; null values remove keys. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>
  deleteConnector(name: string): Promise<void>
  connectorStatus(name: string): Promise<ConnectorStateInfo>
  taskStatus(name: string, task: number): Promise<StateJson & { id: number }>
  taskConfigs(name: string): Promise<TaskInfo[]>
  pauseConnector(name: string): Promise<void>
  resumeConnector(name: string): Promise<void>
  stopConnector(name: string): Promise<void>
  /** Restarts per Connect's rules; returns the status with RESTARTING marks when tasks were involved. */
  restartConnector(name: string, req: RestartRequest): Promise<ConnectorStateInfo | undefined>
  restartTask(name: string, task: number): Promise<void>
  connectorOffsets(name: string): Promise<ConnectorOffsets>
  /** The connector must be STOPPED (ConnectorStateError otherwise). */
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<void>
  resetConnectorOffsets(name: string): Promise<void>
  validateConnectorConfig(config: ConnectorProps): Promise<ConfigInfos>
  plugins(): PluginInfo[]
  /** Prometheus text of the worker's metrics. */
  metrics(): Promise<{ contentType: string; body: string }>
}
