// Connector and task statuses with Connect's status topic keys: "status-connector-<name>" and
// "status-task-<name>-<id>", values {state, trace, worker_id, generation}.
import { MemoryKeyValueLog, type KeyValueLog } from './kv-log'

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING'
export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING'

export interface ConnectorStatus {
  connector: string
  state: ConnectorState
  workerId: string
  /** The failure's stack trace when FAILED; while RUNNING, the last retriable problem being retried. */
  trace?: string
  generation: number
}

export interface TaskStatus {
  connector: string
  task: number
  state: TaskState
  workerId: string
  trace?: string
  generation: number
}

export interface StatusStore {
  start(): Promise<void>
  stop(): Promise<void>
  putConnector(status: ConnectorStatus): Promise<void>
  putTask(status: TaskStatus): Promise<void>
  getConnector(connector: string): ConnectorStatus | undefined
  getTask(connector: string, task: number): TaskStatus | undefined
  getTasks(connector: string): TaskStatus[]
  /** Removes the connector's and all its tasks' statuses. */
  deleteConnector(connector: string): Promise<void>
  /** Removes one task's status (task count shrank). */
  deleteTask(connector: string, task: number): Promise<void>
}

interface Stored { state: string; trace?: string; worker_id: string; generation: number }

export class KeyValueStatusStore implements StatusStore {
  private readonly connectors = new Map<string, ConnectorStatus>()
  private readonly tasks = new Map<string, Map<number, TaskStatus>>()

  constructor(private readonly kv: KeyValueLog) {}

  async start(): Promise<void> {
    const data = await this.kv.start()
    for (const [k, v] of data) {
      const s = JSON.parse(v) as Stored
      if (k.startsWith('status-connector-')) {
        const connector = k.slice('status-connector-'.length)
        this.connectors.set(connector, { connector, state: s.state as ConnectorState, trace: s.trace, workerId: s.worker_id, generation: s.generation })
      } else if (k.startsWith('status-task-')) {
        const rest = k.slice('status-task-'.length)
        const cut = rest.lastIndexOf('-')
        const connector = rest.slice(0, cut)
        const task = Number(rest.slice(cut + 1))
        this.taskMap(connector).set(task, { connector, task, state: s.state as TaskState, trace: s.trace, workerId: s.worker_id, generation: s.generation })
      }
    }
  }

  async stop(): Promise<void> {
    await this.kv.stop()
  }

  private taskMap(connector: string): Map<number, TaskStatus> {
    let m = this.tasks.get(connector)
    if (m === undefined) this.tasks.set(connector, (m = new Map()))
    return m
  }

  async putConnector(status: ConnectorStatus): Promise<void> {
    this.connectors.set(status.connector, { ...status })
    await this.kv.write([[`status-connector-${status.connector}`, encode(status)]])
  }

  async putTask(status: TaskStatus): Promise<void> {
    this.taskMap(status.connector).set(status.task, { ...status })
    await this.kv.write([[`status-task-${status.connector}-${status.task}`, encode(status)]])
  }

  getConnector(connector: string): ConnectorStatus | undefined {
    const s = this.connectors.get(connector)
    return s === undefined ? undefined : { ...s }
  }

  getTask(connector: string, task: number): TaskStatus | undefined {
    const s = this.tasks.get(connector)?.get(task)
    return s === undefined ? undefined : { ...s }
  }

  getTasks(connector: string): TaskStatus[] {
    return [...(this.tasks.get(connector)?.values() ?? [])].sort((a, b) => a.task - b.task).map((t) => ({ ...t }))
  }

  async deleteConnector(connector: string): Promise<void> {
    const writes: Array<[string, string | null]> = [[`status-connector-${connector}`, null]]
    for (const t of this.tasks.get(connector)?.keys() ?? []) writes.push([`status-task-${connector}-${t}`, null])
    this.connectors.delete(connector)
    this.tasks.delete(connector)
    await this.kv.write(writes)
  }

  async deleteTask(connector: string, task: number): Promise<void> {
    this.tasks.get(connector)?.delete(task)
    await this.kv.write([[`status-task-${connector}-${task}`, null]])
  }
}

function encode(s: ConnectorStatus | TaskStatus): string {
  const out: Stored = { state: s.state, worker_id: s.workerId, generation: s.generation }
  if (s.trace !== undefined) out.trace = s.trace
  return JSON.stringify(out)
}

export const memoryStatusStore = (): StatusStore => new KeyValueStatusStore(new MemoryKeyValueLog())
