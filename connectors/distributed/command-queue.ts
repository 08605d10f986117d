// Connector lifecycle commands travel through a BullMQ queue to the leader. Any worker (its REST
// API) enqueues and waits for the result; only the current leader runs a BullMQ worker on the
// queue, so commands are applied one at a time by one writer. When leadership moves, BullMQ's
// stalled-job recovery hands an in-flight command to the next leader.
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq'
import { createLogger } from '../../config'
import { DistributedCommandError } from './errors'

export type ConnectorCommand =
  | { op: 'create'; name: string; config: Record<string, string>; initialState?: 'STARTED' | 'PAUSED' | 'STOPPED' }
  | { op: 'update'; name: string; config: Record<string, string>; initialState?: 'STARTED' | 'PAUSED' | 'STOPPED' }
  | { op: 'delete'; name: string }
  | { op: 'pause'; name: string }
  | { op: 'resume'; name: string }
  | { op: 'stop'; name: string }
  | { op: 'restart'; name: string; includeTasks?: boolean; onlyFailed?: boolean }
  | { op: 'restart-task'; name: string; task: number }

/** What the leader does with a command; the returned value goes back to the caller. */
export type CommandHandler = (cmd: ConnectorCommand) => Promise<unknown>

/**
 * A command the leader refuses (unknown connector, already exists, invalid config): not retried,
 * and its HTTP status travels back to the caller with the message.
 */
export class CommandRejected extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** DistributedCommandError with the HTTP status REST should answer (500 when it was not a rejection). */
export type CommandFailure = InstanceType<typeof DistributedCommandError> & { status: number }

const QUEUE = 'commands'
const log = createLogger('distributed.commands')

export interface CommandQueueOptions {
  connection: ConnectionOptions
  prefix: string
  timeoutMs: number
  attempts: number
  backoffMs: number
  /** BullMQ job lock: a leader that dies mid-command loses the job to the next leader after about this long. */
  lockMs: number
}

export class CommandQueue {
  private queue: Queue | undefined
  private events: QueueEvents | undefined
  private leaderWorker: Worker | undefined

  constructor(private readonly opts: CommandQueueOptions) {}

  /** Opens BullMQ's connections (only once Redis is known to accept ours). */
  async ready(): Promise<void> {
    if (this.queue !== undefined) return
    const queue = new Queue(QUEUE, { connection: this.opts.connection, prefix: this.opts.prefix })
    const events = new QueueEvents(QUEUE, { connection: this.opts.connection, prefix: this.opts.prefix })
    queue.on('error', (e) => log.debug({ err: e.message }, 'command queue connection error'))
    events.on('error', (e) => log.debug({ err: e.message }, 'command events connection error'))
    this.queue = queue
    this.events = events
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()])
  }

  /** Enqueues a command and waits for the leader's answer (its return value, or its error). */
  async submit(cmd: ConnectorCommand): Promise<unknown> {
    if (this.queue === undefined || this.events === undefined) throw new DistributedCommandError('the worker has not started yet')
    const job = await this.queue.add(cmd.op, cmd, {
      attempts: this.opts.attempts,
      backoff: { type: 'exponential', delay: this.opts.backoffMs },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600 },
    })
    try {
      return await job.waitUntilFinished(this.events!, this.opts.timeoutMs)
    } catch (e) {
      const raw = e instanceof Error ? e.message : String(e)
      const m = /^(\d{3}) (.*)$/s.exec(raw)
      const err = new DistributedCommandError(m === null ? `${cmd.op} of connector "${cmd.name}" failed: ${raw}` : m[2]!, { cause: e }) as CommandFailure
      err.status = m === null ? 500 : Number(m[1])
      throw err
    }
  }

  /** Called when this worker becomes leader: start applying commands. */
  startProcessing(handler: CommandHandler): void {
    if (this.leaderWorker !== undefined) return
    const w = new Worker(QUEUE, async (job: Job) => {
      try {
        return await handler(job.data as ConnectorCommand)
      } catch (e) {
        if (e instanceof CommandRejected) throw new UnrecoverableError(`${e.status} ${e.message}`)
        throw e
      }
    }, {
      connection: this.opts.connection, prefix: this.opts.prefix, concurrency: 1,
      lockDuration: Math.max(this.opts.lockMs, 1000), stalledInterval: Math.max(this.opts.lockMs, 1000),
    })
    w.on('error', (e) => log.debug({ err: e.message }, 'command worker connection error'))
    w.on('failed', (job, err) => log.info({ op: job?.name, err: err.message, attempts: job?.attemptsMade }, 'connector command failed'))
    this.leaderWorker = w
  }

  /** Called when this worker stops being leader. */
  async stopProcessing(): Promise<void> {
    const w = this.leaderWorker
    this.leaderWorker = undefined
    await w?.close()
  }

  get processing(): boolean {
    return this.leaderWorker !== undefined
  }

  async close(): Promise<void> {
    await this.stopProcessing()
    await this.events?.close()
    await this.queue?.close()
  }
}
