// Connect's RetryWithToleranceOperator: run one stage of one record's processing, retry retriable
// failures with exponential backoff until errors.retry.timeout, then either fail the task
// (errors.tolerance=none) or report the record (log, dead-letter queue) and skip it (all).
import type { Logger } from '../../config'
import type { ConnectRecord, SinkRecord } from '../api'
import { ToleranceExceededError } from '../errors'
import { backoffDelay, isRetriableError, systemClock, type Clock } from './backoff'

/** Where in a record's journey a failure happened (Connect's Stage names). */
export type Stage = 'TASK_POLL' | 'TASK_PUT' | 'KAFKA_PRODUCE' | 'KAFKA_CONSUME' | 'TRANSFORMATION' | 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER'

export interface ProcessingError {
  stage: Stage
  /** The class that failed (the task's or the connector's class name). */
  className: string
  error: Error
  record?: ConnectRecord | SinkRecord
}

export interface ErrorReporter {
  report(failure: ProcessingError): Promise<void>
}

export interface ToleranceOptions {
  retryTimeoutMs: number
  retryMaxDelayMs: number
  tolerance: 'none' | 'all'
  reporters: ErrorReporter[]
  clock?: Clock
  signal?: AbortSignal
  onError?: (f: ProcessingError, tolerated: boolean) => void
  onRetry?: () => void
}

export type Outcome<T> = { ok: true; value: T } | { ok: false }

export class RetryWithToleranceOperator {
  private readonly clock: Clock

  constructor(private readonly opts: ToleranceOptions) {
    this.clock = opts.clock ?? systemClock
  }

  get toleratesAll(): boolean {
    return this.opts.tolerance === 'all'
  }

  async execute<T>(stage: Stage, className: string, op: () => Promise<T>, record?: ConnectRecord): Promise<Outcome<T>> {
    const started = this.clock.now()
    const timeout = this.opts.retryTimeoutMs
    for (let attempt = 0; ; attempt++) {
      try {
        return { ok: true, value: await op() }
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e))
        const delay = backoffDelay(attempt, this.opts.retryMaxDelayMs)
        const withinTimeout = timeout < 0 || this.clock.now() + delay - started <= timeout
        if (isRetriableError(error) && withinTimeout && this.opts.signal?.aborted !== true) {
          this.opts.onRetry?.()
          await this.clock.sleep(delay, this.opts.signal)
          continue
        }
        return this.fail({ stage, className, error, record })
      }
    }
  }

  /** A failure that happened outside execute() (e.g. reported by the task itself). */
  async fail<T>(failure: ProcessingError): Promise<Outcome<T>> {
    const tolerated = this.opts.tolerance === 'all'
    this.opts.onError?.(failure, tolerated)
    if (!tolerated) {
      throw new ToleranceExceededError(`Tolerance exceeded in error handler: ${failure.stage} failed in ${failure.className}: ${failure.error.message}`, { cause: failure.error })
    }
    for (const r of this.opts.reporters) await r.report(failure)
    return { ok: false }
  }
}

/** errors.log.enable: one warn line per failure, with the record's content if asked. */
export class LogReporter implements ErrorReporter {
  constructor(private readonly log: Logger, private readonly includeMessages: boolean) {}

  async report(f: ProcessingError): Promise<void> {
    const r = f.record as Partial<SinkRecord> | undefined
    const where = r === undefined ? {} : { topic: r.topic, partition: r.partition, offset: r.kafkaOffset }
    const content = this.includeMessages && r !== undefined
      ? { key: r.key?.toString('base64'), value: r.value?.toString('base64'), headers: r.headers?.map((h) => h.key) }
      : {}
    this.log.warn({ stage: f.stage, class: f.className, err: f.error, ...where, ...content }, 'Error encountered in task; record skipped (errors.tolerance=all)')
  }
}
