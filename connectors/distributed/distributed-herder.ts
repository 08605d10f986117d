// The Herder façade for distributed mode, so the runtime's REST API serves every worker. Reads
// are answered from the shared state in Redis; changes become commands queued (BullMQ) for the
// leader, whose answer (or refusal) comes back to the caller. Work itself is placed by the
// DistributedWorker's assignment and run by the RuntimeWorkRunner.
import type { ConnectorProps } from '../api'
import { ConnectorConfigError, ConnectorExistsError, ConnectorNotFoundError, ConnectorStateError, TaskNotFoundError } from '../errors'
import type { ConnectorInfo, ConnectorOffsets, ConnectorStateInfo, Herder, RestartRequest, StateJson, TaskInfo } from '../runtime/herder'
import { alterOffsets, readOffsets, resetOffsets } from '../runtime/herder-offsets'
import type { PluginInfo } from '../runtime/plugins'
import { describeProblems, validateConnectorConfig, type ConfigInfos } from '../runtime/validation'
import type { TargetState } from '../storage'
import { connectorItem, taskItem } from './assignment'
import type { CommandFailure, ConnectorCommand } from './command-queue'
import type { DistributedWorker } from './distributed-worker'
import { readAssignment } from './leader-duties'
import type { ClusterConfigSnapshot } from './redis-config-store'
import type { RuntimeWorkRunner } from './runtime-runner'

interface StoredStatus { state: string; worker_id: string; trace?: string; generation: number }

export class DistributedHerder implements Herder {
  readonly workerId: string

  constructor(readonly worker: DistributedWorker, readonly runner: RuntimeWorkRunner) {
    this.workerId = worker.id
  }

  async start(): Promise<void> {
    await this.worker.start()
  }

  async stop(): Promise<void> {
    await this.worker.stop()
  }

  kafkaClusterId(): Promise<string> {
    return this.runner.connectorWorker.kafkaClusterId()
  }

  private async snap(name?: string): Promise<ClusterConfigSnapshot> {
    const s = await this.worker.snapshot()
    if (name !== undefined && s.connectors[name] === undefined) throw new ConnectorNotFoundError(`Connector ${name} not found`)
    return s
  }

  private typeOf(config: ConnectorProps): ConnectorInfo['type'] {
    try { return this.runner.connectorWorker.plugins.create(config['connector.class']).connector.type } catch { return 'unknown' }
  }

  /** Sends a command to the leader, turning its refusals into the runtime's typed errors. */
  private async command(cmd: ConnectorCommand): Promise<unknown> {
    try {
      return await this.worker.submit(cmd)
    } catch (e) {
      const status = (e as Partial<CommandFailure>).status
      const msg = (e as Error).message
      if (status === 404) throw new ConnectorNotFoundError(msg)
      if (status === 409) throw new ConnectorExistsError(msg)
      if (status === 400) throw new ConnectorStateError(msg)
      throw e
    }
  }

  async connectors(): Promise<string[]> {
    return Object.keys((await this.snap()).connectors).sort()
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const s = await this.snap(name)
    const c = s.connectors[name]!
    const n = s.taskConfigs[name]?.tasks.length ?? 0
    return { name, config: c.config, tasks: Array.from({ length: n }, (_, task) => ({ connector: name, task })), type: this.typeOf(c.config) }
  }

  async connectorConfig(name: string): Promise<ConnectorProps> {
    return (await this.snap(name)).connectors[name]!.config
  }

  async validateConnectorConfig(config: ConnectorProps): Promise<ConfigInfos> {
    return validateConnectorConfig(this.runner.connectorWorker.plugins, config)
  }

  async putConnectorConfig(name: string, config: ConnectorProps, opts: { allowReplace: boolean; initialState?: TargetState }): Promise<{ created: boolean; info: ConnectorInfo }> {
    const full = { ...config, name }
    const infos = validateConnectorConfig(this.runner.connectorWorker.plugins, full)
    if (infos.error_count > 0) {
      const problems = describeProblems(infos)
      throw new ConnectorConfigError(`Connector configuration is invalid and contains the following ${problems.length} error(s):\n${problems.join('\n')}`)
    }
    const result = await this.command(opts.allowReplace
      ? { op: 'update', name, config: full, initialState: opts.initialState }
      : { op: 'create', name, config: full, initialState: opts.initialState }) as { created: boolean }
    return { created: result.created, info: await this.connectorInfo(name) }
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const merged: ConnectorProps = { ...(await this.connectorConfig(name)) }
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k]
      else merged[k] = String(v)
    }
    return (await this.putConnectorConfig(name, merged, { allowReplace: true })).info
  }

  async deleteConnector(name: string): Promise<void> {
    await this.command({ op: 'delete', name })
  }

  private async statuses(): Promise<Record<string, StoredStatus>> {
    const h = await this.worker.client.hgetall(this.worker.keys.status)
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, JSON.parse(v) as StoredStatus]))
  }

  /** Who the assignment says runs an item (for UNASSIGNED-looking statuses). */
  private async ownerOf(item: string): Promise<string> {
    const a = await readAssignment(this.worker.client, this.worker.keys)
    for (const [w, items] of Object.entries(a?.assignments ?? {})) if (items.includes(item)) return w
    return this.workerId
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const s = await this.snap(name)
    const c = s.connectors[name]!
    const st = await this.statuses()
    const json = async (item: string): Promise<StateJson> => {
      const v = st[item]
      if (v === undefined) return { state: 'UNASSIGNED', worker_id: await this.ownerOf(item) }
      return v.trace === undefined || v.trace === null ? { state: v.state, worker_id: v.worker_id } : { state: v.state, worker_id: v.worker_id, trace: v.trace }
    }
    const n = c.targetState === 'STOPPED' ? 0 : s.taskConfigs[name]?.tasks.length ?? 0
    const tasks: Array<StateJson & { id: number }> = []
    for (let i = 0; i < n; i++) tasks.push({ id: i, ...(await json(taskItem(name, i))) })
    return { name, connector: await json(connectorItem(name)), tasks, type: this.typeOf(c.config) }
  }

  async taskStatus(name: string, task: number): Promise<StateJson & { id: number }> {
    const info = await this.connectorStatus(name)
    const t = info.tasks.find((x) => x.id === task)
    if (t === undefined) throw new TaskNotFoundError(`No status found for task ${name}-${task}`)
    return t
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    const s = await this.snap(name)
    return (s.taskConfigs[name]?.tasks ?? []).map((config, task) => ({ id: { connector: name, task }, config }))
  }

  async pauseConnector(name: string): Promise<void> {
    await this.command({ op: 'pause', name })
  }

  async resumeConnector(name: string): Promise<void> {
    await this.command({ op: 'resume', name })
  }

  async stopConnector(name: string): Promise<void> {
    await this.command({ op: 'stop', name })
  }

  async restartConnector(name: string, req: RestartRequest): Promise<ConnectorStateInfo | undefined> {
    const before = await this.connectorStatus(name)
    const s = await this.snap(name)
    if (s.connectors[name]!.targetState === 'STOPPED') return req.includeTasks || req.onlyFailed ? before : undefined
    const result = await this.command({ op: 'restart', name, includeTasks: req.includeTasks, onlyFailed: req.onlyFailed }) as { restarted: string[] }
    if (!req.includeTasks && !req.onlyFailed) return undefined
    const restarted = new Set(result.restarted)
    return {
      ...before,
      connector: restarted.has(connectorItem(name)) ? { state: 'RESTARTING', worker_id: before.connector.worker_id } : before.connector,
      tasks: before.tasks.map((t) => (restarted.has(taskItem(name, t.id)) ? { id: t.id, state: 'RESTARTING', worker_id: t.worker_id } : t)),
    }
  }

  async restartTask(name: string, task: number): Promise<void> {
    const s = await this.snap(name)
    if (task < 0 || task >= (s.taskConfigs[name]?.tasks.length ?? 0)) throw new TaskNotFoundError(`Task ${name}-${task} not found`)
    await this.command({ op: 'restart-task', name, task })
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const c = (await this.snap(name)).connectors[name]!
    return readOffsets(this.runner.connectorWorker, name, c.config, this.typeOf(c.config))
  }

  private async requireStopped(name: string, what: string): Promise<ConnectorProps> {
    const c = (await this.snap(name)).connectors[name]!
    if (c.targetState !== 'STOPPED') throw new ConnectorStateError(`Connectors must be in the STOPPED state before their offsets can be ${what}. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`)
    return c.config
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    await alterOffsets(this.runner.connectorWorker, name, await this.requireStopped(name, 'modified'), offsets)
  }

  async resetConnectorOffsets(name: string): Promise<void> {
    await resetOffsets(this.runner.connectorWorker, name, await this.requireStopped(name, 'reset'))
  }

  plugins(): PluginInfo[] {
    return this.runner.connectorWorker.plugins.list()
  }

  async metrics(): Promise<{ contentType: string; body: string }> {
    const reg = this.runner.connectorWorker.metrics.registry
    return { contentType: reg.contentType, body: await reg.metrics() }
  }
}
