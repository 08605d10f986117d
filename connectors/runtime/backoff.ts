// Exponential backoff shared by every retry loop: 300 ms doubling, capped, with a deadline.
// The clock and sleep are injectable so unit tests run on a fake clock.

export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve) => {
    if (signal?.aborted === true) return resolve()
    const t = setTimeout(done, ms)
    function done(): void { signal?.removeEventListener('abort', done); clearTimeout(t); resolve() }
    signal?.addEventListener('abort', done, { once: true })
  }),
}

export const INITIAL_BACKOFF_MS = 300

export function backoffDelay(attempt: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, INITIAL_BACKOFF_MS * 2 ** Math.min(attempt, 30))
}

const RETRIABLE_KAFKAJS = new Set([
  'KafkaJSNumberOfRetriesExceeded', 'KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound', 'KafkaJSMetadataNotLoaded', 'KafkaJSLockTimeout', 'KafkaJSTopicMetadataNotLoaded',
])

/**
 * Kafka's and Godwit's notion of a retriable error: GodwitErrors and kafkajs errors carry
 * `retriable`. kafkajs wraps a connection failure that outlived its own retries in a
 * KafkaJSNonRetriableError, so its cause chain is followed (through kafkajs errors only).
 */
export function isRetriableError(err: unknown): boolean {
  let e = err as { retriable?: unknown; name?: unknown; cause?: unknown; originalError?: unknown } | null | undefined
  for (let depth = 0; depth < 6 && e !== null && typeof e === 'object'; depth++) {
    if (e.retriable === true) return true
    const name = typeof e.name === 'string' ? e.name : ''
    if (RETRIABLE_KAFKAJS.has(name)) return true
    if (!name.startsWith('KafkaJS')) return false
    e = (e.cause ?? e.originalError) as typeof e
  }
  return false
}
