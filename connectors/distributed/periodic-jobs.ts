// Cluster-wide periodic jobs (topic refresh, config sync, group refresh, checkpoint emission...):
// each named job runs once per interval across the whole group, not once per worker. Every
// worker ticks; for each interval slot (floor(now / interval)) exactly one of them wins a SET NX
// on the slot key and enqueues the run with a job id naming the slot (BullMQ ignores a second
// add of the same id), and whichever worker is free processes it. A failing run is retried with
// exponential backoff up to periodic.job.attempts.
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq'
import type Redis from 'ioredis'
import { createLogger } from '../../config'
import type { GroupKeys } from './keys'

export interface PeriodicJobContext {
  name: string
  /** The interval slot this run covers: floor(scheduledAt / intervalMs). */
  slot: number
  /** 0 on the first attempt. */
  attempt: number
}

export type PeriodicHandler = (ctx: PeriodicJobContext) => Promise<unknown>

interface Registered {
  intervalMs: number
  handler: PeriodicHandler
  timer?: NodeJS.Timeout
  /** Last slot this worker offered; a late timer also offers the one slot it overslept. */
  lastSlot?: number
}

const QUEUE = 'periodic'
const log = createLogger('distributed.periodic')

export interface PeriodicJobsOptions {
  redis: Redis
  keys: GroupKeys
  connection: ConnectionOptions
  prefix: string
  attempts: number
  backoffMs: number
}

export class PeriodicJobs {
  private readonly jobs = new Map<string, Registered>()
  private queue: Queue | undefined
  private worker: Worker | undefined
  private closed = false

  constructor(private readonly opts: PeriodicJobsOptions) {}

  /** Registers a job on this worker. Every worker should register the same jobs with the same intervals. */
  register(name: string, intervalMs: number, handler: PeriodicHandler): void {
    if (name.includes(':')) throw new Error(`periodic job name "${name}" may not contain ':'`)
    if (this.jobs.has(name)) throw new Error(`periodic job "${name}" is already registered`)
    const job: Registered = { intervalMs, handler }
    this.jobs.set(name, job)
    if (this.worker !== undefined) this.schedule(name, job)
  }

  start(): void {
    if (this.worker !== undefined) return
    this.queue = new Queue(QUEUE, { connection: this.opts.connection, prefix: this.opts.prefix })
    this.queue.on('error', (e) => log.debug({ err: e.message }, 'periodic queue connection error'))
    this.worker = new Worker(QUEUE, async (job: Job) => this.run(job), {
      connection: this.opts.connection, prefix: this.opts.prefix, concurrency: 4,
    })
    this.worker.on('error', (e) => log.debug({ err: e.message }, 'periodic worker connection error'))
    this.worker.on('failed', (job, err) => log.warn({ job: job?.name, err: err.message, attempt: job?.attemptsMade }, 'periodic job failed'))
    for (const [name, job] of this.jobs) this.schedule(name, job)
  }

  private async run(job: Job): Promise<unknown> {
    const reg = this.jobs.get(job.name)
    if (reg === undefined) throw new Error(`periodic job "${job.name}" is not registered on this worker`)
    const { slot } = job.data as { slot: number }
    return reg.handler({ name: job.name, slot, attempt: job.attemptsMade })
  }

  /** Wakes at each slot boundary (by local clock; the SET NX makes skew harmless). A slot every worker overslept (all stalled at once) is run late rather than skipped; longer gaps are skipped. */
  private schedule(name: string, job: Registered): void {
    const tick = (): void => {
      if (this.closed) return
      const now = Date.now()
      const slot = Math.floor(now / job.intervalMs)
      const from = job.lastSlot === undefined ? slot : Math.max(job.lastSlot + 1, slot - 1)
      job.lastSlot = slot
      for (let s = from; s <= slot; s++) {
        this.enqueue(name, job, s).catch((e: unknown) => log.debug({ job: name, err: (e as Error).message }, 'could not enqueue periodic job'))
      }
      job.timer = setTimeout(tick, (slot + 1) * job.intervalMs - now + 1)
    }
    tick()
  }

  private async enqueue(name: string, job: Registered, slot: number): Promise<void> {
    const ttl = Math.max(job.intervalMs * 10, 60000)
    const won = await this.opts.redis.set(this.opts.keys.periodicSlot(name, slot), '1', 'PX', ttl, 'NX')
    if (won !== 'OK') return
    await this.queue!.add(name, { slot }, {
      jobId: `${name}-${slot}`,
      attempts: this.opts.attempts,
      backoff: { type: 'exponential', delay: this.opts.backoffMs },
      removeOnComplete: { age: Math.ceil(ttl / 1000), count: 1000 },
      removeOnFail: { age: Math.ceil(ttl / 1000) },
    })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const j of this.jobs.values()) clearTimeout(j.timer)
    await this.worker?.close()
    await this.queue?.close()
  }
}
