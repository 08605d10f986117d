// The standalone herder: one worker, configs and statuses in stores it owns (memory by default,
// as Connect's standalone mode; file- or Kafka-backed if given), every request handled in order.
import { createLogger, type Logger } from '../../config'
import type { ConnectorProps } from '../api'
import { ConnectorConfigError, ConnectorExistsError, ConnectorNotFoundError, ConnectorStateError, TaskNotFoundError } from '../errors'
import { memoryConfigStore, memoryStatusStore, type ConfigStore, type ConnectorState, type StatusStore, type TargetState, type TaskState } from '../storage'
import type { ConnectorInfo, ConnectorOffsets, ConnectorStateInfo, Herder, RestartRequest, StateJson, TaskInfo } from './herder'
import { alterOffsets, readOffsets, resetOffsets } from './herder-offsets'
import type { PluginInfo } from './plugins'
import { describeProblems, validateConnectorConfig, type ConfigInfos } from './validation'
import type { Worker } from './worker'
import type { ConnectorTaskId } from './worker-task'

export interface StandaloneHerderOptions {
  worker: Worker
  configStore?: ConfigStore
  statusStore?: StatusStore
}

export class StandaloneHerder implements Herder {
  readonly workerId: string
  readonly worker: Worker
  readonly configStore: ConfigStore
  readonly statusStore: StatusStore
  private readonly log: Logger
  private queue: Promise<unknown> = Promise.resolve()
  private statusWrites: Promise<void> = Promise.resolve()
  private generation = 0

  constructor(opts: StandaloneHerderOptions) {
    this.worker = opts.worker
    this.workerId = opts.worker.workerId
    this.configStore = opts.configStore ?? memoryConfigStore()
    this.statusStore = opts.statusStore ?? memoryStatusStore()
    this.log = createLogger('connect-herder', { worker: this.workerId })
  }

  /** Runs herder operations one at a time, as Connect's standalone herder synchronises them. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op)
    this.queue = run.catch(() => undefined)
    return run
  }

  async start(): Promise<void> {
    await Promise.all([this.configStore.start(), this.statusStore.start(), this.worker.offsetStore.start()])
    await this.serial(async () => {
      for (const name of this.configStore.connectors()) await this.startConnector(name)
    })
  }

  async stop(): Promise<void> {
    await this.serial(async () => {
      await this.worker.stop()
      await this.statusWrites
      await Promise.all([this.configStore.stop(), this.statusStore.stop(), this.worker.offsetStore.stop()])
    })
  }

  kafkaClusterId(): Promise<string> {
    return this.worker.kafkaClusterId()
  }

  async connectors(): Promise<string[]> {
    return this.configStore.connectors()
  }

  private snapshot(name: string): NonNullable<ReturnType<ConfigStore['get']>> {
    const s = this.configStore.get(name)
    if (s === undefined) throw new ConnectorNotFoundError(`Connector ${name} not found`)
    return s
  }

  private typeOf(config: ConnectorProps): ConnectorInfo['type'] {
    try { return this.worker.plugins.create(config['connector.class']).connector.type } catch { return 'unknown' }
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const s = this.snapshot(name)
    return { name, config: s.config, tasks: s.taskConfigs.map((_, task) => ({ connector: name, task })), type: this.typeOf(s.config) }
  }

  async connectorConfig(name: string): Promise<ConnectorProps> {
    return this.snapshot(name).config
  }

  async validateConnectorConfig(config: ConnectorProps): Promise<ConfigInfos> {
    return validateConnectorConfig(this.worker.plugins, config)
  }

  putConnectorConfig(name: string, config: ConnectorProps, opts: { allowReplace: boolean; initialState?: TargetState }): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.serial(async () => {
      const full = { ...config, name }
      const infos = validateConnectorConfig(this.worker.plugins, full)
      if (infos.error_count > 0) {
        const problems = describeProblems(infos)
        throw new ConnectorConfigError(`Connector configuration is invalid and contains the following ${problems.length} error(s):\n${problems.join('\n')}`)
      }
      const exists = this.configStore.get(name) !== undefined
      if (exists && !opts.allowReplace) throw new ConnectorExistsError(`Connector ${name} already exists`)
      if (exists) await this.stopConnectorAndTasks(name)
      await this.configStore.putConnectorConfig(name, full, opts.initialState ?? 'STARTED')
      await this.startConnector(name)
      return { created: !exists, info: await this.connectorInfo(name) }
    })
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const merged: ConnectorProps = { ...this.snapshot(name).config }
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k]
      else merged[k] = String(v)
    }
    return (await this.putConnectorConfig(name, merged, { allowReplace: true })).info
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.snapshot(name)
      await this.stopConnectorAndTasks(name)
      await this.configStore.removeConnector(name)
      await this.statusWrites
      await this.statusStore.deleteConnector(name)
    })
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const s = this.snapshot(name)
    const c = this.statusStore.getConnector(name)
    const tasks = s.targetState === 'STOPPED' ? [] : this.statusStore.getTasks(name).filter((t) => t.task < s.taskConfigs.length)
    return {
      name,
      connector: stateJson(c?.state ?? 'UNASSIGNED', c?.workerId ?? this.workerId, c?.trace),
      tasks: tasks.map((t) => ({ id: t.task, ...stateJson(t.state, t.workerId, t.trace) })),
      type: this.typeOf(s.config),
    }
  }

  async taskStatus(name: string, task: number): Promise<StateJson & { id: number }> {
    const s = this.snapshot(name)
    const t = this.statusStore.getTask(name, task)
    if (task >= s.taskConfigs.length || t === undefined) throw new TaskNotFoundError(`No status found for task ${name}-${task}`)
    return { id: task, ...stateJson(t.state, t.workerId, t.trace) }
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.snapshot(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config }))
  }

  pauseConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const s = this.snapshot(name)
      if (s.targetState === 'STOPPED') {
        // Connect starts a STOPPED connector paused: connector and tasks come up, then wait.
        await this.configStore.putTargetState(name, 'PAUSED')
        await this.startConnector(name)
        return
      }
      await this.configStore.putTargetState(name, 'PAUSED')
      this.worker.setConnectorTargetState(name, 'PAUSED')
    })
  }

  resumeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const s = this.snapshot(name)
      await this.configStore.putTargetState(name, 'STARTED')
      if (s.targetState === 'STOPPED') await this.startConnector(name)
      else this.worker.setConnectorTargetState(name, 'STARTED')
    })
  }

  stopConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.snapshot(name)
      await this.stopConnectorAndTasks(name)
      await this.configStore.putTargetState(name, 'STOPPED')
      // Connect empties a stopped connector's task configs; they are generated again on resume.
      await this.configStore.putTaskConfigs(name, [])
      this.putConnectorStatus(name, 'STOPPED')
    })
  }

  restartConnector(name: string, req: RestartRequest): Promise<ConnectorStateInfo | undefined> {
    return this.serial(async () => {
      const s = this.snapshot(name)
      const before = await this.connectorStatus(name)
      const restartConnector = !req.onlyFailed || before.connector.state === 'FAILED'
      const tasks = req.includeTasks ? before.tasks.filter((t) => !req.onlyFailed || t.state === 'FAILED').map((t) => t.id) : []
      if (s.targetState === 'STOPPED') return req.includeTasks || req.onlyFailed ? before : undefined
      const plan: ConnectorStateInfo = {
        ...before,
        connector: restartConnector ? { ...before.connector, state: 'RESTARTING', trace: undefined } : before.connector,
        tasks: before.tasks.map((t) => (tasks.includes(t.id) ? { id: t.id, state: 'RESTARTING', worker_id: t.worker_id } : t)),
      }
      if (restartConnector) {
        this.putConnectorStatus(name, 'RESTARTING')
        await this.worker.stopConnector(name)
        // A connector that failed to start has no tasks yet: generate them now.
        if (await this.startConnectorInstance(name)) await this.reconfigureTasks(name)
      }
      const ids = tasks.map((task) => ({ connector: name, task }))
      for (const id of ids) this.putTaskStatus(id, 'RESTARTING')
      await this.worker.stopTasks(ids)
      const fresh = this.snapshot(name)
      for (const id of ids) if (id.task < fresh.taskConfigs.length) this.startTask(id, fresh.config, fresh.taskConfigs[id.task], fresh.targetState)
      for (const t of tasks) plan.tasks.find((x) => x.id === t)!.trace = undefined
      return req.includeTasks || req.onlyFailed ? JSON.parse(JSON.stringify(plan)) as ConnectorStateInfo : undefined
    })
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.serial(async () => {
      const s = this.snapshot(name)
      if (task < 0 || task >= s.taskConfigs.length) throw new TaskNotFoundError(`Task ${name}-${task} not found`)
      const id = { connector: name, task }
      await this.worker.stopTasks([id])
      this.startTask(id, s.config, s.taskConfigs[task], s.targetState)
    })
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const s = this.snapshot(name)
    return readOffsets(this.worker, name, s.config, this.typeOf(s.config))
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    return this.serial(async () => {
      const s = this.snapshot(name)
      if (s.targetState !== 'STOPPED') throw new ConnectorStateError(`Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`)
      await alterOffsets(this.worker, name, s.config, offsets)
    })
  }

  resetConnectorOffsets(name: string): Promise<void> {
    return this.serial(async () => {
      const s = this.snapshot(name)
      if (s.targetState !== 'STOPPED') throw new ConnectorStateError(`Connectors must be in the STOPPED state before their offsets can be reset. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`)
      await resetOffsets(this.worker, name, s.config)
    })
  }

  plugins(): PluginInfo[] {
    return this.worker.plugins.list()
  }

  async metrics(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.worker.metrics.registry.contentType, body: await this.worker.metrics.registry.metrics() }
  }

  // --- internals (always called inside serial) ---

  private async startConnector(name: string): Promise<void> {
    const s = this.snapshot(name)
    if (s.targetState === 'STOPPED') {
      this.putConnectorStatus(name, 'STOPPED')
      return
    }
    if (!(await this.startConnectorInstance(name))) return
    await this.reconfigureTasks(name)
  }

  private async startConnectorInstance(name: string): Promise<boolean> {
    const s = this.snapshot(name)
    return this.worker.startConnector(name, s.config, s.targetState, {
      onStatus: (state, trace) => this.putConnectorStatus(name, state, trace),
      onTaskReconfiguration: () => { void this.serial(() => this.reconfigureTasks(name)).catch((e: unknown) => this.log.error({ err: e, connector: name }, 'task reconfiguration failed')) },
    }).catch((e: unknown) => {
      this.putConnectorStatus(name, 'FAILED', e instanceof Error ? e.stack : String(e))
      return false
    })
  }

  /** Asks the connector for task configs; restarts the tasks only when they changed. */
  private async reconfigureTasks(name: string): Promise<void> {
    const s = this.configStore.get(name)
    if (s === undefined || s.targetState === 'STOPPED' || !this.worker.isRunning(name)) return
    let configs: ConnectorProps[]
    try {
      configs = await this.worker.connectorTaskConfigs(name, Number(s.config['tasks.max'] ?? 1))
    } catch (e) {
      this.putConnectorStatus(name, 'FAILED', e instanceof Error ? e.stack : String(e))
      return
    }
    const running = this.worker.taskIds(name)
    const changed = JSON.stringify(configs) !== JSON.stringify(s.taskConfigs)
    if (!changed && running.length === configs.length) return
    await this.worker.stopTasks(running)
    if (changed) {
      await this.configStore.putTaskConfigs(name, configs)
      for (let t = configs.length; t < s.taskConfigs.length; t++) {
        this.statusWrites = this.statusWrites.then(() => this.statusStore.deleteTask(name, t)).catch(() => undefined)
      }
    }
    configs.forEach((tc, task) => this.startTask({ connector: name, task }, s.config, tc, s.targetState))
  }

  private startTask(id: ConnectorTaskId, connectorProps: ConnectorProps, taskProps: ConnectorProps, target: TargetState): void {
    try {
      this.worker.startTask(id, connectorProps, { ...taskProps }, target, (tid, state, trace) => this.putTaskStatus(tid, state, trace))
    } catch (e) {
      this.putTaskStatus(id, 'FAILED', e instanceof Error ? e.stack : String(e))
    }
  }

  private async stopConnectorAndTasks(name: string): Promise<void> {
    await this.worker.stopTasks(this.worker.taskIds(name))
    await this.worker.stopConnector(name)
  }

  private putConnectorStatus(connector: string, state: ConnectorState, trace?: string): void {
    const status = { connector, state, trace, workerId: this.workerId, generation: this.generation++ }
    const written = this.statusStore.putConnector(status)
    this.statusWrites = this.statusWrites.then(() => written).catch((e: unknown) => this.log.warn({ err: e }, 'status write failed'))
  }

  private putTaskStatus(id: ConnectorTaskId, state: TaskState, trace?: string): void {
    if (this.configStore.get(id.connector) === undefined) return
    const status = { connector: id.connector, task: id.task, state, trace, workerId: this.workerId, generation: this.generation++ }
    const written = this.statusStore.putTask(status)
    this.statusWrites = this.statusWrites.then(() => written).catch((e: unknown) => this.log.warn({ err: e }, 'status write failed'))
  }
}

function stateJson(state: string, workerId: string, trace?: string): StateJson {
  return trace === undefined ? { state, worker_id: workerId } : { state, worker_id: workerId, trace }
}
