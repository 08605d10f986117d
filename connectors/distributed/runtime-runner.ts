// Runs assigned connectors and tasks through the runtime's Worker. Connectors share one Worker;
// each task gets a Worker of its own whose offset store is that task's FencedOffsetStore (the
// runtime hands one offset store to every task of a Worker, and fencing needs it per lease).
// All of them share one kafkajs client and one metrics registry, so this costs a few objects.
import { createLogger } from '../../config'
import type { ConnectorProps } from '../api'
import type { ConnectMetrics } from '../runtime/metrics'
import type { PluginRegistry } from '../runtime/plugins'
import { Worker } from '../runtime/worker'
import type { WorkerClients } from '../runtime/worker-clients'
import type { WorkerConfig } from '../runtime/worker-config'
import type { OffsetStore, TargetState } from '../storage'
import type { ClusterConfigSnapshot } from './redis-config-store'
import type { ItemState, LeasedItem, StopReason, WorkRunner } from './work-runner'

export interface RuntimeRunnerOptions {
  workerId: string
  config: WorkerConfig
  plugins: PluginRegistry
  /** The worker's kafkajs clients per role (worker-clients.ts). */
  clients: WorkerClients
  metrics: ConnectMetrics
  /** Unfenced reads (and REST offset changes) for connectors. */
  offsetStore: OffsetStore
  /** The latest shared configuration (for task reconfiguration requested by a running connector). */
  snapshot(): Promise<ClusterConfigSnapshot>
}

const log = createLogger('distributed.runner')

export class RuntimeWorkRunner implements WorkRunner {
  /** Runs this worker's connector instances; also what offset REST calls use. */
  readonly connectorWorker: Worker
  private readonly taskWorkers = new Map<string, Worker>()
  private readonly leased = new Map<string, LeasedItem>()

  constructor(private readonly opts: RuntimeRunnerOptions) {
    this.connectorWorker = this.newWorker(opts.offsetStore)
  }

  private newWorker(offsetStore: OffsetStore): Worker {
    const o = this.opts
    return new Worker({ workerId: o.workerId, config: o.config, plugins: o.plugins, offsetStore, clients: o.clients, metrics: o.metrics })
  }

  async start(item: LeasedItem, snap: ClusterConfigSnapshot): Promise<void> {
    const name = item.item.connector
    const c = snap.connectors[name]
    if (c === undefined) return
    this.leased.set(item.id, item)
    const report = (state: ItemState, trace?: string): void => {
      item.reportStatus(state, trace).catch((e: unknown) => log.debug({ item: item.id, err: (e as Error).message }, 'status write failed'))
    }
    if (item.item.kind === 'connector') {
      if (c.targetState === 'STOPPED') { report('STOPPED'); return }
      await this.startConnector(item, c.config, c.targetState, snap, report)
      return
    }
    const taskConfig = snap.taskConfigs[name]?.tasks[item.item.task]
    if (taskConfig === undefined) return
    const w = this.newWorker(item.offsets)
    this.taskWorkers.set(item.id, w)
    w.startTask({ connector: name, task: item.item.task }, c.config, { ...taskConfig }, c.targetState === 'PAUSED' ? 'PAUSED' : 'STARTED',
      (_id, state, trace) => report(state, trace))
  }

  private async startConnector(item: LeasedItem, config: ConnectorProps, target: TargetState, snap: ClusterConfigSnapshot, report: (s: ItemState, t?: string) => void): Promise<void> {
    const name = item.item.connector
    const ok = await this.connectorWorker.startConnector(name, config, target, {
      onStatus: (state, trace) => report(state, trace),
      onTaskReconfiguration: () => {
        this.opts.snapshot().then((s) => this.publishTaskConfigs(item, s)).catch((e: unknown) => log.warn({ connector: name, err: (e as Error).message }, 'task reconfiguration failed'))
      },
    })
    if (ok) await this.publishTaskConfigs(item, snap)
  }

  /** Asks the connector for task configs and publishes them when they differ from the shared ones. */
  private async publishTaskConfigs(item: LeasedItem, snap: ClusterConfigSnapshot): Promise<void> {
    const name = item.item.connector
    const c = snap.connectors[name]
    if (c === undefined || !this.connectorWorker.isRunning(name) || this.leased.get(item.id) !== item) return
    const configs = await this.connectorWorker.connectorTaskConfigs(name, Number(c.config['tasks.max'] ?? '1'))
    const current = snap.taskConfigs[name]
    if (current !== undefined && current.version === c.version && JSON.stringify(current.tasks) === JSON.stringify(configs)) return
    if (!(await item.writeTaskConfigs(configs))) log.warn({ connector: name }, 'task configs not published: this worker lost the connector\'s lease')
  }

  async stop(id: string, _reason: StopReason): Promise<void> {
    const item = this.leased.get(id)
    if (item === undefined) return
    this.leased.delete(id)
    if (item.item.kind === 'connector') {
      await this.connectorWorker.stopConnector(item.item.connector)
      return
    }
    const w = this.taskWorkers.get(id)
    this.taskWorkers.delete(id)
    await w?.stopTasks([{ connector: item.item.connector, task: item.item.task }])
  }

  async targetStateChanged(id: string, snap: ClusterConfigSnapshot): Promise<void> {
    const item = this.leased.get(id)
    if (item === undefined) return
    const name = item.item.connector
    const c = snap.connectors[name]
    if (c === undefined) return
    if (item.item.kind === 'task') {
      this.taskWorkers.get(id)?.setConnectorTargetState(name, c.targetState === 'PAUSED' ? 'PAUSED' : 'STARTED')
      return
    }
    const report = (state: ItemState, trace?: string): void => { void item.reportStatus(state, trace).catch(() => false) }
    if (c.targetState === 'STOPPED') {
      await this.connectorWorker.stopConnector(name)
      report('STOPPED')
    } else if (!this.connectorWorker.isRunning(name)) {
      await this.startConnector(item, c.config, c.targetState, snap, report)
    } else {
      this.connectorWorker.setConnectorTargetState(name, c.targetState)
    }
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.leased.keys()]) await this.stop(id, 'shutdown')
  }
}
