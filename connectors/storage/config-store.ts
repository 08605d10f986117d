// Connector configurations, task configurations and target states, stored with Connect's config
// topic keys: "connector-<name>" {properties}, "task-<name>-<n>" {properties},
// "commit-<name>" {tasks: n}, "target-state-<name>" {state}.
import type { ConnectorProps } from '../api'
import { MemoryKeyValueLog, type KeyValueLog } from './kv-log'

/** What the user asked a connector to be: Connect's target states. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export interface ConnectorSnapshot {
  name: string
  config: ConnectorProps
  targetState: TargetState
  /** The latest committed task configurations ([] until the connector generated them, or when STOPPED). */
  taskConfigs: ConnectorProps[]
}

export interface ConfigStore {
  start(): Promise<void>
  stop(): Promise<void>
  connectors(): string[]
  get(name: string): ConnectorSnapshot | undefined
  /** Creates or replaces a connector's configuration; a new connector starts in `targetState` (default STARTED). */
  putConnectorConfig(name: string, config: ConnectorProps, targetState?: TargetState): Promise<void>
  removeConnector(name: string): Promise<void>
  putTaskConfigs(name: string, taskConfigs: ConnectorProps[]): Promise<void>
  putTargetState(name: string, state: TargetState): Promise<void>
}

export class KeyValueConfigStore implements ConfigStore {
  private readonly snapshots = new Map<string, ConnectorSnapshot>()

  constructor(private readonly kv: KeyValueLog) {}

  async start(): Promise<void> {
    const data = await this.kv.start()
    const tasks = new Map<string, ConnectorProps>()
    const commits = new Map<string, number>()
    const states = new Map<string, TargetState>()
    for (const [k, v] of data) {
      const value = JSON.parse(v) as { properties?: ConnectorProps; tasks?: number; state?: TargetState }
      if (k.startsWith('connector-')) {
        const name = k.slice('connector-'.length)
        this.snapshots.set(name, { name, config: value.properties ?? {}, targetState: 'STARTED', taskConfigs: [] })
      } else if (k.startsWith('task-')) tasks.set(k.slice('task-'.length), value.properties ?? {})
      else if (k.startsWith('commit-')) commits.set(k.slice('commit-'.length), value.tasks ?? 0)
      else if (k.startsWith('target-state-')) states.set(k.slice('target-state-'.length), value.state ?? 'STARTED')
    }
    for (const snap of this.snapshots.values()) {
      snap.targetState = states.get(snap.name) ?? 'STARTED'
      const n = commits.get(snap.name) ?? 0
      const cfgs: ConnectorProps[] = []
      for (let i = 0; i < n; i++) {
        const t = tasks.get(`${snap.name}-${i}`)
        if (t === undefined) break // an incomplete commit: regenerate instead
        cfgs.push(t)
      }
      snap.taskConfigs = cfgs.length === n ? cfgs : []
    }
  }

  async stop(): Promise<void> {
    await this.kv.stop()
  }

  connectors(): string[] {
    return [...this.snapshots.keys()].sort()
  }

  get(name: string): ConnectorSnapshot | undefined {
    const s = this.snapshots.get(name)
    return s === undefined ? undefined : { ...s, config: { ...s.config }, taskConfigs: s.taskConfigs.map((t) => ({ ...t })) }
  }

  async putConnectorConfig(name: string, config: ConnectorProps, targetState: TargetState = 'STARTED'): Promise<void> {
    const existing = this.snapshots.get(name)
    const writes: Array<[string, string | null]> = [[`connector-${name}`, JSON.stringify({ properties: config })]]
    if (existing === undefined) writes.push([`target-state-${name}`, JSON.stringify({ state: targetState })])
    await this.kv.write(writes)
    if (existing === undefined) this.snapshots.set(name, { name, config: { ...config }, targetState, taskConfigs: [] })
    else existing.config = { ...config }
  }

  async removeConnector(name: string): Promise<void> {
    const s = this.snapshots.get(name)
    if (s === undefined) return
    const writes: Array<[string, string | null]> = [[`connector-${name}`, null], [`target-state-${name}`, null], [`commit-${name}`, null]]
    for (let i = 0; i < s.taskConfigs.length; i++) writes.push([`task-${name}-${i}`, null])
    await this.kv.write(writes)
    this.snapshots.delete(name)
  }

  async putTaskConfigs(name: string, taskConfigs: ConnectorProps[]): Promise<void> {
    const s = this.snapshots.get(name)
    if (s === undefined) return
    const writes: Array<[string, string | null]> = taskConfigs.map((t, i) => [`task-${name}-${i}`, JSON.stringify({ properties: t })])
    for (let i = taskConfigs.length; i < s.taskConfigs.length; i++) writes.push([`task-${name}-${i}`, null])
    writes.push([`commit-${name}`, JSON.stringify({ tasks: taskConfigs.length })])
    await this.kv.write(writes)
    s.taskConfigs = taskConfigs.map((t) => ({ ...t }))
  }

  async putTargetState(name: string, state: TargetState): Promise<void> {
    const s = this.snapshots.get(name)
    if (s === undefined) return
    await this.kv.write([[`target-state-${name}`, JSON.stringify({ state })]])
    s.targetState = state
  }
}

export const memoryConfigStore = (): ConfigStore => new KeyValueConfigStore(new MemoryKeyValueLog())
