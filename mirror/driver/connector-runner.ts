// Runs one MM2 connector: starts it, runs the tasks it asks for, and re-plans them when it
// requests a reconfiguration (new topics, partitions or groups).
import type { Producer } from 'kafkajs'
import { createLogger, type Logger } from '../../config'
import type { ConnectorProps, SourceConnector } from '../../connectors/api'
import type { OffsetStore } from '../../connectors/storage'
import { TaskRunner, type TaskRunnerOptions } from './task-runner'

export interface ConnectorRunnerOptions {
  name: string
  connector: SourceConnector
  props: ConnectorProps
  tasksMax: number
  makeProducer: () => Producer
  offsets: OffsetStore
  flushIntervalMs: number
  metrics?: TaskRunnerOptions['metrics']
}

export class ConnectorRunner {
  private tasks: TaskRunner[] = []
  private chain: Promise<void> = Promise.resolve()
  private stopped = false
  private readonly log: Logger

  constructor(private readonly o: ConnectorRunnerOptions) {
    this.log = createLogger('mirror-connector-runner', { connector: o.name })
  }

  async start(): Promise<void> {
    this.o.connector.initialize({
      requestTaskReconfiguration: () => { this.chain = this.chain.then(() => this.restartTasks()) },
      raiseError: (err) => this.log.error({ err }, 'connector failed'),
    })
    await this.o.connector.start(this.o.props)
    await this.startTasks()
  }

  private async startTasks(): Promise<void> {
    if (this.stopped) return
    const configs = await this.o.connector.taskConfigs(this.o.tasksMax)
    const runners = configs.map((props, taskId) => new TaskRunner({
      connector: this.o.name, taskId, taskClass: this.o.connector.taskClass(), props,
      makeProducer: this.o.makeProducer, offsets: this.o.offsets, flushIntervalMs: this.o.flushIntervalMs,
      ...(this.o.metrics !== undefined ? { metrics: this.o.metrics } : {}),
    }))
    this.tasks = runners
    const started = await Promise.allSettled(runners.map((r) => r.start()))
    const failed = started.find((x): x is PromiseRejectedResult => x.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    this.log.debug({ tasks: runners.length }, 'tasks started')
  }

  /** Re-plans tasks; a failed start (a cluster briefly unreachable) is retried until it works or the runner stops. */
  private async restartTasks(): Promise<void> {
    await this.stopTasks()
    for (let backoff = 500; !this.stopped; backoff = Math.min(backoff * 2, 30000)) {
      try {
        await this.startTasks()
        return
      } catch (err) {
        this.log.error({ err, retryInMs: backoff }, 'starting tasks failed; retrying')
        await this.stopTasks().catch(() => undefined)
        await new Promise((r) => setTimeout(r, backoff))
      }
    }
  }

  private async stopTasks(): Promise<void> {
    const tasks = this.tasks
    this.tasks = []
    await Promise.all(tasks.map((t) => t.stop()))
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.chain
    await this.stopTasks()
    await this.o.connector.stop()
  }
}
