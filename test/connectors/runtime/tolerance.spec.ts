import assert from 'node:assert/strict'
import { RetriableConnectError } from '../../../connectors/errors'
import type { Clock } from '../../../connectors/runtime/backoff'
import { RetryWithToleranceOperator, type ProcessingError } from '../../../connectors/runtime/tolerance'

/** A clock that only moves when the code under test sleeps. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0
  const sleeps: number[] = []
  return { sleeps, now: () => now, sleep: async (ms) => { sleeps.push(ms); now += ms } }
}

describe('connectors/runtime/tolerance: RetryWithToleranceOperator', () => {
  const failing = (times: number, err: () => Error) => {
    let calls = 0
    return { fn: async () => { calls++; if (calls <= times) throw err(); return 'ok' }, calls: () => calls }
  }

  it('retries retriable errors with exponential backoff capped at errors.retry.delay.max.ms', async () => {
    const clock = fakeClock()
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 60000, retryMaxDelayMs: 2000, tolerance: 'none', reporters: [], clock })
    const f = failing(5, () => new RetriableConnectError('leader moving'))
    assert.deepEqual(await op.execute('TASK_PUT', 'T', f.fn), { ok: true, value: 'ok' })
    assert.deepEqual(clock.sleeps, [300, 600, 1200, 2000, 2000])
  })

  it('stops retrying at errors.retry.timeout and then fails (tolerance none) with the cause', async () => {
    const clock = fakeClock()
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 1000, retryMaxDelayMs: 60000, tolerance: 'none', reporters: [], clock })
    const f = failing(100, () => new RetriableConnectError('still down'))
    await assert.rejects(op.execute('TASK_PUT', 'MyTask', f.fn), (e: Error & { code?: string; cause?: Error }) =>
      e.code === 'CONNECT_TOLERANCE_EXCEEDED' && /TASK_PUT failed in MyTask: still down/.test(e.message) && e.cause?.message === 'still down')
    assert.deepEqual(clock.sleeps, [300, 600]) // 300 + 600 + 1200 would pass 1000 ms
    assert.equal(f.calls(), 3)
  })

  it('errors.retry.timeout=0 (the default) never retries; non-retriable errors never retry', async () => {
    const clock = fakeClock()
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 0, retryMaxDelayMs: 60000, tolerance: 'all', reporters: [], clock })
    const a = failing(1, () => new RetriableConnectError('x'))
    assert.deepEqual(await op.execute('TASK_PUT', 'T', a.fn), { ok: false })
    const op2 = new RetryWithToleranceOperator({ retryTimeoutMs: -1, retryMaxDelayMs: 60000, tolerance: 'all', reporters: [], clock })
    const b = failing(1, () => new TypeError('bad data'))
    assert.deepEqual(await op2.execute('TASK_PUT', 'T', b.fn), { ok: false })
    assert.equal(a.calls() + b.calls(), 2)
    assert.deepEqual(clock.sleeps, [])
  })

  it('errors.tolerance=all hands the failure with its record to every reporter and skips it', async () => {
    const seen: ProcessingError[] = []
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 0, retryMaxDelayMs: 1, tolerance: 'all', reporters: [{ report: async (f) => { seen.push(f) } }], clock: fakeClock() })
    const record = { topic: 't', partition: 2, kafkaOffset: 7, key: null, value: Buffer.from('v'), timestamp: 1, headers: [] }
    assert.deepEqual(await op.execute('TASK_PUT', 'Sink', async () => { throw new RangeError('nope') }, record), { ok: false })
    assert.equal(seen.length, 1)
    assert.equal(seen[0].stage, 'TASK_PUT')
    assert.equal(seen[0].className, 'Sink')
    assert.equal(seen[0].error.name, 'RangeError')
    assert.equal(seen[0].record, record)
  })
})
