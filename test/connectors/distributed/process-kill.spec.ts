import { strict as assert } from 'node:assert'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { ChildWorker } from './fixtures/child-worker'
import { makeWorker, type TestWorker } from './fixtures/worker-factory'

describe('connectors/distributed: a worker process killed with SIGKILL (default timings)', function () {
  this.timeout(40000)
  let redis: TestRedis
  before(async () => { redis = await startRedis() })
  after(async () => { await redis.stop() })

  it('reassigns its tasks within 10 s with the default heartbeat/session/lease settings', async () => {
    const group = uniqueName('g')
    // Default timings: heartbeat.interval.ms=1000, session.timeout.ms=6000, task.lease.ms=6000.
    const victim = new ChildWorker(`${group}-victim`, { url: redis.url, group, commitEveryMs: 50, config: {} })
    const locals: TestWorker[] = []
    const noFast = { 'heartbeat.interval.ms': '1000', 'session.timeout.ms': '6000', 'task.lease.ms': '6000' }
    try {
      await victim.ready()
      for (let i = 0; i < 2; i++) {
        const w = makeWorker(redis.url, group, `${group}-w${i}`, { commitEveryMs: 50, extra: noFast })
        locals.push(w)
        await w.worker.start()
      }
      const name = uniqueName('conn')
      await locals[0]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '8' } })
      const lost = await waitFor('victim runs its share', () => {
        const r = victim.running()
        const total = r.length + locals.reduce((n, w) => n + w.runner.running().length, 0)
        return total === 9 && r.length === 3 ? r : undefined
      }, { timeoutMs: 20000 })

      const t0 = Date.now()
      await victim.kill()
      await waitFor('all 9 items running on the survivors', () => {
        const on = locals.flatMap((w) => w.runner.running())
        return on.length === 9 && new Set(on).size === 9
      }, { timeoutMs: 15000, intervalMs: 10 })
      const ms = Date.now() - t0
      process.stdout.write(`      SIGKILL → ${lost.length} items reassigned in ${ms} ms (defaults: session 6000 ms, heartbeat 1000 ms)\n`)
      assert.ok(ms < 10000, `reassignment took ${ms} ms`)
      // The new owners continue from the victim's committed offsets rather than from zero.
      for (const t of lost.filter((i) => i.startsWith('task/'))) {
        const owner = locals.find((w) => w.runner.running().includes(t))!
        await waitFor(`${t} commits under a new generation`, () => owner.runner.events.some((e) => e.kind === 'commit-ok' && e.id === t))
        const firstN = owner.runner.events.find((e) => e.kind === 'commit-ok' && e.id === t)!.n!
        const victimLast = Math.max(0, ...victim.lines.filter((l) => l.kind === 'commit-ok' && l.id === t).map((l) => l.n!))
        assert.equal(firstN, victimLast + 1, `${t} resumed after the victim's last committed offset`)
      }
    } finally {
      await victim.kill()
      for (const w of locals) await w.worker.stop()
    }
  })
})
