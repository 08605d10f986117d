import { strict as assert } from 'node:assert'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { makeWorker, type TestWorker } from './fixtures/worker-factory'

describe('connectors/distributed/periodic-jobs (3 workers, real redis-server)', function () {
  this.timeout(30000)
  let redis: TestRedis
  const ws: TestWorker[] = []
  before(async () => { redis = await startRedis() })
  afterEach(async () => { for (const w of ws.splice(0)) await w.worker.stop() })
  after(async () => { await redis.stop() })

  async function group(n: number, extra: Record<string, string> = {}): Promise<TestWorker[]> {
    const g = uniqueName('g')
    for (let i = 0; i < n; i++) {
      const w = makeWorker(redis.url, g, `${g}-w${i}`, { extra })
      ws.push(w)
      await w.worker.start()
    }
    return ws
  }

  it('runs each job once per interval across the group, not once per worker', async () => {
    const workers = await group(3)
    const runs: Array<{ slot: number; by: string; job: string }> = []
    for (const w of workers) {
      w.worker.periodic.register('topic-refresh', 200, async (ctx) => { runs.push({ slot: ctx.slot, by: w.worker.id, job: ctx.name }) })
      w.worker.periodic.register('checkpoint-emission', 300, async (ctx) => { runs.push({ slot: ctx.slot, by: w.worker.id, job: ctx.name }) })
    }
    await waitFor('8 topic-refresh slots', () => new Set(runs.filter((r) => r.job === 'topic-refresh').map((r) => r.slot)).size >= 8)
    for (const job of ['topic-refresh', 'checkpoint-emission']) {
      const slots = runs.filter((r) => r.job === job).map((r) => r.slot)
      assert.equal(new Set(slots).size, slots.length, `${job}: no slot ran twice (${slots.join(',')})`)
      const sorted = [...slots].sort((a, b) => a - b)
      assert.equal(sorted[sorted.length - 1]! - sorted[0]! + 1, sorted.length, `${job}: no slot skipped`)
    }
    process.stdout.write(`      runs by worker: ${JSON.stringify(Object.fromEntries(workers.map((w) => [w.worker.id.slice(-2), runs.filter((r) => r.by === w.worker.id).length])))}\n`)
  })

  it('retries a failing run with exponential backoff, then stops retrying after periodic.job.attempts', async () => {
    const workers = await group(3, { 'periodic.job.attempts': '3', 'periodic.job.backoff.ms': '100' })
    const attempts: Array<{ attempt: number; at: number; slot: number }> = []
    for (const w of workers) {
      w.worker.periodic.register('group-refresh', 60000, async (ctx) => {
        attempts.push({ attempt: ctx.attempt, at: Date.now(), slot: ctx.slot })
        throw new Error('group refresh failed')
      })
    }
    await waitFor('3 attempts', () => attempts.length >= 3)
    assert.deepEqual(attempts.map((a) => a.attempt), [0, 1, 2])
    assert.equal(new Set(attempts.map((a) => a.slot)).size, 1, 'all attempts are the same slot')
    const gap1 = attempts[1]!.at - attempts[0]!.at
    const gap2 = attempts[2]!.at - attempts[1]!.at
    assert.ok(gap1 >= 90 && gap2 >= 190, `backoff doubles: ${gap1} ms then ${gap2} ms`)
    // No fourth attempt: give it longer than the next backoff (400 ms) would be.
    const deadline = Date.now() + 700
    await waitFor('no 4th attempt within the next backoff window', () => Date.now() > deadline || attempts.length > 3 ? true : undefined)
    assert.equal(attempts.length, 3)
  })
})
