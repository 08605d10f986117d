// The Worker holds running connectors and tasks and nothing else: which ones to run, and with what
// configuration, is the herder's decision. Each task runs on its own; one task's failure never
// touches another. Distributed herders drive the same Worker.
import type { Kafka } from 'kafkajs'
import { createLogger, type Logger } from '../../config'
import type { ConnectorProps, SinkConnector, SourceConnector } from '../api'
import type { OffsetStore, TargetState } from '../storage'
import { registerKafkajsCodecs } from '../kafka/codecs'
import type { Clock } from './backoff'
import { ConnectMetrics } from './metrics'
import { PluginRegistry } from './plugins'
import { WorkerConnector, type ConnectorCallbacks } from './worker-connector'
import { WorkerSinkTask } from './worker-sink-task'
import { WorkerSourceTask } from './worker-source-task'
import type { ConnectorTaskId, TaskStatusListener, WorkerTask } from './worker-task'
import type { WorkerConfig } from './worker-config'
import { WORKER_CLIENT_RETRY, sharedClients, workerClients, type WorkerClients } from './worker-clients'

export interface WorkerOptions {
  workerId: string
  config: WorkerConfig
  plugins: PluginRegistry
  offsetStore: OffsetStore
  /** The worker's kafkajs clients per role (see worker-clients.ts); built from `clientProps` when absent. */
  clients?: WorkerClients
  /** Raw worker properties: the top-level and producer./consumer./admin. client settings (Kafka's names). */
  clientProps?: Record<string, string>
  /** One client for every role (tests). */
  kafka?: Kafka
  metrics?: ConnectMetrics
  clock?: Clock
}

const taskKey = (id: ConnectorTaskId): string => `${id.connector}-${id.task}`

export class Worker {
  readonly workerId: string
  readonly config: WorkerConfig
  readonly plugins: PluginRegistry
  readonly metrics: ConnectMetrics
  /** The worker's own client (top-level settings). */
  readonly kafka: Kafka
  readonly clients: WorkerClients
  readonly offsetStore: OffsetStore
  private readonly connectors = new Map<string, WorkerConnector>()
  private readonly tasks = new Map<string, WorkerTask>()
  private readonly log: Logger
  private readonly clock: Clock | undefined
  private clusterId: string | undefined

  constructor(opts: WorkerOptions) {
    registerKafkajsCodecs()
    this.workerId = opts.workerId
    this.config = opts.config
    this.plugins = opts.plugins
    this.offsetStore = opts.offsetStore
    this.metrics = opts.metrics ?? new ConnectMetrics()
    this.clock = opts.clock
    this.log = createLogger('connect-worker', { worker: opts.workerId })
    this.clients = opts.clients ?? (opts.kafka !== undefined ? sharedClients(opts.kafka) : workerClients(opts.clientProps ?? {}, opts.config, WORKER_CLIENT_RETRY))
    this.kafka = this.clients.worker
  }

  /** The Kafka cluster id (GET / reports it as kafka_cluster_id); asked once, then remembered. */
  async kafkaClusterId(): Promise<string> {
    if (this.clusterId !== undefined) return this.clusterId
    const admin = this.kafka.admin()
    await admin.connect()
    try {
      this.clusterId = (await admin.describeCluster()).clusterId
      return this.clusterId
    } finally {
      await admin.disconnect()
    }
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()]
  }

  taskIds(connector?: string): ConnectorTaskId[] {
    return [...this.tasks.values()].map((t) => t.id).filter((id) => connector === undefined || id.connector === connector)
  }

  isRunning(connector: string): boolean {
    return this.connectors.has(connector)
  }

  /** Creates and starts a connector; resolves false if it failed to start (its status says why). */
  async startConnector(name: string, props: ConnectorProps, target: TargetState, callbacks: ConnectorCallbacks): Promise<boolean> {
    if (this.connectors.has(name)) await this.stopConnector(name)
    const { connector } = this.plugins.create(props['connector.class'])
    const wc = new WorkerConnector(name, connector, props, callbacks, this.log.child({ connector: name }))
    this.connectors.set(name, wc)
    return wc.start(target)
  }

  async connectorTaskConfigs(name: string, maxTasks: number): Promise<ConnectorProps[]> {
    const wc = this.connectors.get(name)
    if (wc === undefined || wc.isFailed) return []
    return wc.taskConfigs(maxTasks)
  }

  setConnectorTargetState(name: string, target: TargetState): void {
    this.connectors.get(name)?.transitionTo(target)
    for (const t of this.tasks.values()) if (t.id.connector === name && target !== 'STOPPED') t.transitionTo(target)
  }

  async stopConnector(name: string): Promise<void> {
    const wc = this.connectors.get(name)
    this.connectors.delete(name)
    await wc?.stop()
  }

  /** Starts a task runner in the background; its status arrives through `onStatus`. */
  startTask(id: ConnectorTaskId, connectorProps: ConnectorProps, taskProps: ConnectorProps, target: TargetState, onStatus: TaskStatusListener): void {
    const key = taskKey(id)
    if (this.tasks.has(key)) throw new Error(`task ${key} is already running on this worker`)
    const { connector } = this.plugins.create(connectorProps['connector.class'])
    const ctx = {
      id, connectorConfig: connectorProps, taskConfig: taskProps, workerConfig: this.config, clients: this.clients,
      metrics: this.metrics, logger: createLogger('connect-task', { connector: id.connector, task: id.task }), onStatus, clock: this.clock,
    }
    const runner = connector.type === 'source'
      ? new WorkerSourceTask(ctx, target, (connector as SourceConnector).taskClass(), this.offsetStore)
      : new WorkerSinkTask(ctx, target, (connector as SinkConnector).taskClass())
    this.tasks.set(key, runner)
    onStatus(id, 'UNASSIGNED')
    void runner.start()
  }

  /** Stops tasks gracefully (final commit included), in parallel; gives up on one after task.shutdown.graceful.timeout.ms. */
  async stopTasks(ids: ConnectorTaskId[]): Promise<void> {
    const runners = ids.map((id) => this.tasks.get(taskKey(id))).filter((t): t is WorkerTask => t !== undefined)
    for (const r of runners) r.stop()
    await Promise.all(runners.map(async (r) => {
      const ok = await r.awaitStop(this.config['task.shutdown.graceful.timeout.ms'])
      if (!ok) this.log.warn({ connector: r.id.connector, task: r.id.task }, 'Task did not stop in time; abandoning it')
      this.tasks.delete(taskKey(r.id))
      this.metrics.removeTask(r.id.connector, r.id.task)
    }))
  }

  /** Stops every task and connector. */
  async stop(): Promise<void> {
    await this.stopTasks(this.taskIds())
    for (const name of this.connectorNames()) await this.stopConnector(name)
  }
}
