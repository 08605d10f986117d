// What the source and sink task runners share: identity, target state (STARTED/PAUSED) handling,
// status reporting, and the stop signal. A runner's run() resolves when the task has stopped;
// it never rejects: failures become FAILED statuses with the trace, and touch no other task.
import type { Logger } from '../../config'
import type { ConnectorProps } from '../api'
import type { TaskState } from '../storage'
import type { TargetState } from '../storage'
import { systemClock, type Clock } from './backoff'
import type { ConnectMetrics } from './metrics'
import type { WorkerClients } from './worker-clients'
import type { WorkerConfig } from './worker-config'

export interface ConnectorTaskId {
  connector: string
  task: number
}

/** The worker reports task states through this; the herder writes them to the status store. */
export type TaskStatusListener = (id: ConnectorTaskId, state: TaskState, trace?: string) => void

export interface TaskRunnerContext {
  id: ConnectorTaskId
  connectorConfig: ConnectorProps
  taskConfig: ConnectorProps
  workerConfig: WorkerConfig
  /** The worker's kafkajs clients: tasks use `producer`, `consumer` and `admin`. */
  clients: WorkerClients
  metrics: ConnectMetrics
  logger: Logger
  onStatus: TaskStatusListener
  clock?: Clock
}

export abstract class WorkerTask {
  readonly id: ConnectorTaskId
  protected readonly log: Logger
  protected readonly clock: Clock
  protected readonly labels: { connector: string; task: string }
  protected targetState: TargetState
  protected stopping = false
  /** Set once the task failed: background work (retries, acknowledgements) must stop reporting. */
  protected failed = false
  protected readonly abort = new AbortController()
  private wake: (() => void) | undefined
  private done: Promise<void> | undefined
  private lastState: TaskState | undefined
  private lastTrace: string | undefined

  constructor(protected readonly ctx: TaskRunnerContext, initialState: TargetState) {
    this.id = ctx.id
    this.log = ctx.logger
    this.clock = ctx.clock ?? systemClock
    this.labels = { connector: ctx.id.connector, task: String(ctx.id.task) }
    this.targetState = initialState
  }

  get state(): TaskState | undefined {
    return this.lastState
  }

  /** Starts the task loop in the background; the promise resolves when the task has stopped. */
  start(): Promise<void> {
    this.done ??= this.runSafely()
    return this.done
  }

  private async runSafely(): Promise<void> {
    try {
      await this.execute()
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e))
      this.failed = true
      this.log.error({ err }, 'Task threw an uncaught and unrecoverable exception; it is FAILED until restarted')
      this.report('FAILED', traceOf(err))
      await this.cleanupAfterFailure().catch((c: unknown) => this.log.warn({ err: c }, 'cleanup after failure failed'))
    }
  }

  /** The task's loop: start it, copy records until stopping, then commit and stop. */
  protected abstract execute(): Promise<void>

  /** Releases clients after a failure (no commit: what failed is not known to be written). */
  protected abstract cleanupAfterFailure(): Promise<void>

  /** Pause or resume (STOPPED is handled by stopping the task). */
  transitionTo(state: TargetState): void {
    if (state === this.targetState) return
    this.targetState = state
    if (this.lastState === 'FAILED') return
    if (state === 'PAUSED') {
      this.onPause()
      this.report('PAUSED')
    } else if (state === 'STARTED') {
      this.onResume()
      this.report('RUNNING')
    }
    this.wake?.()
  }

  protected onPause(): void {}
  protected onResume(): void {}

  /** Asks the loop to finish: the last written records get committed, then the task stops. */
  stop(): void {
    if (this.stopping) return
    this.stopping = true
    this.abort.abort()
    this.wake?.()
  }

  /** Waits for the stop to complete, at most `timeoutMs`; false if the task did not stop in time. */
  async awaitStop(timeoutMs: number): Promise<boolean> {
    if (this.done === undefined) return true
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), timeoutMs) })
    const ok = await Promise.race([this.done.then(() => true), timeout])
    clearTimeout(timer)
    return ok
  }

  /** While paused, waits until resumed or stopped. */
  protected async waitWhilePaused(): Promise<void> {
    while (this.targetState === 'PAUSED' && !this.stopping) {
      await new Promise<void>((resolve) => { this.wake = resolve })
      this.wake = undefined
    }
  }

  protected report(state: TaskState, trace?: string): void {
    if (this.failed && state !== 'FAILED') return
    if (state === this.lastState && trace === this.lastTrace) return
    this.lastState = state
    this.lastTrace = trace
    this.ctx.metrics.setTaskStatus(this.id.connector, this.id.task, state)
    this.ctx.onStatus(this.id, state, trace)
  }

  /** RUNNING (or PAUSED) with a note of the retriable problem being retried, or cleared. */
  protected reportRetrying(err: Error | undefined): void {
    const state: TaskState = this.targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING'
    this.report(state, err === undefined ? undefined : `Retrying after a retriable error: ${traceOf(err)}`)
  }
}

export function traceOf(err: Error): string {
  let out = err.stack ?? `${err.name}: ${err.message}`
  let cause = (err as { cause?: unknown }).cause
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    out += `\nCaused by: ${cause.stack ?? cause.message}`
    cause = (cause as { cause?: unknown }).cause
  }
  return out
}
