// One running Connector instance: started with its configuration, asked for task configurations,
// paused/stopped by target state. Failures become a FAILED status with the trace.
import type { Logger } from '../../config'
import type { Connector, ConnectorProps } from '../api'
import type { ConnectorState, TargetState } from '../storage'
import { traceOf } from './worker-task'

export interface ConnectorCallbacks {
  onStatus(state: ConnectorState, trace?: string): void
  onTaskReconfiguration(): void
}

export class WorkerConnector {
  private started = false
  private failed = false

  constructor(
    readonly name: string,
    readonly connector: Connector,
    readonly props: ConnectorProps,
    private readonly callbacks: ConnectorCallbacks,
    private readonly log: Logger,
  ) {}

  get isFailed(): boolean {
    return this.failed
  }

  /** Starts (or, for PAUSED/STOPPED, starts then reports that state). Never throws. */
  async start(target: TargetState): Promise<boolean> {
    this.connector.initialize({
      requestTaskReconfiguration: () => this.callbacks.onTaskReconfiguration(),
      raiseError: (err) => this.fail(err),
    })
    if (target === 'STOPPED') {
      this.callbacks.onStatus('STOPPED')
      return true
    }
    try {
      await this.connector.start(this.props)
      this.started = true
      this.callbacks.onStatus(target === 'PAUSED' ? 'PAUSED' : 'RUNNING')
      return true
    } catch (e) {
      this.fail(e)
      return false
    }
  }

  async taskConfigs(maxTasks: number): Promise<ConnectorProps[]> {
    const configs = await this.connector.taskConfigs(maxTasks)
    return configs.slice(0, maxTasks)
  }

  transitionTo(target: TargetState): void {
    if (this.failed || !this.started) return
    this.callbacks.onStatus(target === 'PAUSED' ? 'PAUSED' : target === 'STOPPED' ? 'STOPPED' : 'RUNNING')
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = false
    try {
      await this.connector.stop()
    } catch (e) {
      this.log.warn({ err: e }, 'Connector stop() threw')
    }
  }

  private fail(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e))
    this.failed = true
    this.log.error({ err }, 'Connector failed; it is FAILED until restarted')
    this.callbacks.onStatus('FAILED', traceOf(err))
  }
}
