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

/** Kafka's and Godwit's notion of a retriable error: kafkajs errors and GodwitErrors carry `retriable`. */
export function isRetriableError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false
  const e = err as { retriable?: unknown; name?: unknown; cause?: unknown }
  if (e.retriable === true) return true
  // kafkajs wraps retriable failures that ran out of retries in KafkaJSNumberOfRetriesExceeded.
  if (e.name === 'KafkaJSNumberOfRetriesExceeded' || e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSRequestTimeoutError') return true
  return false
}
