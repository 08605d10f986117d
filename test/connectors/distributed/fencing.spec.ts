import { strict as assert } from 'node:assert'
import Redis from 'ioredis'
import { groupKeys } from '../../../connectors/distributed/keys'
import { TaskLeases } from '../../../connectors/distributed/task-lease'
import { FencedOffsetStore } from '../../../connectors/distributed/fenced-offset-store'
import { NotLeaderError, TaskFencedError } from '../../../connectors/distributed/errors'
import { LeaderLease } from '../../../connectors/distributed/leader-lease'
import { RedisConfigStore } from '../../../connectors/distributed/redis-config-store'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { ChildWorker } from './fixtures/child-worker'
import { FAST, makeWorker, type TestWorker } from './fixtures/worker-factory'

describe('connectors/distributed: task leases and fencing (real redis-server)', function () {
  this.timeout(40000)
  let redis: TestRedis
  let client: Redis

  before(async () => {
    redis = await startRedis()
    client = new Redis(redis.url)
  })
  after(async () => {
    client.disconnect()
    await redis.stop()
  })

  it('hands a lease to one owner at a time, bumps the generation on take-over, and refuses the old owner\'s writes', async () => {
    const keys = groupKeys('godwit', uniqueName('g'))
    const a = new TaskLeases(client, keys, 'A', 300)
    const b = new TaskLeases(client, keys, 'B', 300)
    const item = 'task/c/0'
    const first = await a.acquire(item)
    assert.deepEqual(first, { acquired: true, token: 1 })
    const held = await b.acquire(item)
    assert.ok(!held.acquired && held.holder === 'A' && held.expiresInMs > 0 && held.expiresInMs <= 300, JSON.stringify(held))
    const offA = new FencedOffsetStore(client, keys, 'c', a, item, 1)
    await offA.commit([{ partition: { file: 'x' }, offset: { pos: 10 } }])

    // A goes quiet past its lease; B takes over with generation 2.
    await waitFor('A\'s lease to expire', async () => (await a.holder(item)) === undefined, { timeoutMs: 2000 })
    assert.deepEqual(await b.acquire(item), { acquired: true, token: 2 })
    const offB = new FencedOffsetStore(client, keys, 'c', b, item, 2)
    await offB.commit([{ partition: { file: 'x' }, offset: { pos: 20 } }])

    // A comes back: renew fails, and its commit is refused with a typed error; B's offset stands.
    assert.equal(await a.renew(item, 1), false)
    await assert.rejects(offA.commit([{ partition: { file: 'x' }, offset: { pos: 11 } }]),
      (e: unknown) => e instanceof TaskFencedError && e.code === 'TASK_FENCED' && /generation 1/.test(e.message))
    assert.deepEqual(await offB.offset({ file: 'x' }), { pos: 20 })
    assert.equal(await a.fencedHset(item, 1, keys.status, [[item, 'zombie']]), false)
    assert.equal(await client.hget(keys.status, item), null)
    // Releasing with a stale token does nothing.
    await a.release(item, 1)
    assert.deepEqual(await b.holder(item), { owner: 'B', gen: 2 })
  })

  it('lets a holder whose lease merely expired (nobody took it) carry on with the same token', async () => {
    const keys = groupKeys('godwit', uniqueName('g'))
    const a = new TaskLeases(client, keys, 'A', 200)
    const item = 'task/c/1'
    const got = await a.acquire(item)
    assert.ok(got.acquired)
    await waitFor('lease expiry', async () => (await a.holder(item)) === undefined, { timeoutMs: 2000 })
    assert.equal(await a.renew(item, 1), true, 'generation unchanged: safe to re-take')
    assert.deepEqual(await a.holder(item), { owner: 'A', gen: 1 })
  })

  it('refuses connector config writes from a deposed leader, and raises the epoch on every change of hands', async () => {
    const keys = groupKeys('godwit', uniqueName('g'))
    const a = new LeaderLease(client, keys, 'A', 200)
    const b = new LeaderLease(client, keys, 'B', 200)
    assert.deepEqual(await a.acquireOrRenew(), { leader: 'A', epoch: 1 })
    assert.deepEqual(await b.acquireOrRenew(), { leader: 'A', epoch: 1 })
    const store = new RedisConfigStore(client, keys)
    await store.fencedBy('A').putConnector('c', { x: '1' })
    await assert.rejects(store.fencedBy('B').putConnector('c', { x: 'B was never leader' }), (e: unknown) => e instanceof NotLeaderError && e.retriable)
    // A freezes past its lease; B takes over; A's late write is refused, B's goes through.
    await waitFor('leader lease expiry', async () => (await client.get(keys.leader)) === null, { timeoutMs: 2000 })
    assert.deepEqual(await b.acquireOrRenew(), { leader: 'B', epoch: 2 })
    await assert.rejects(store.fencedBy('A').setTargetState('c', 'PAUSED'), NotLeaderError)
    await assert.rejects(store.fencedBy('A').deleteConnector('c'), NotLeaderError)
    await store.fencedBy('B').putConnector('c', { x: '2' })
    assert.deepEqual(await store.connector('c'), { config: { x: '2' }, targetState: 'STARTED', version: 2 })
    // A holder that re-takes its own expired lease keeps its epoch; a new holder bumps it.
    await waitFor('expiry', async () => (await client.get(keys.leader)) === null, { timeoutMs: 2000 })
    assert.deepEqual(await b.acquireOrRenew(), { leader: 'B', epoch: 2 })
    await b.release()
    assert.deepEqual(await a.acquireOrRenew(), { leader: 'A', epoch: 3 })
  })

  it('fences a worker frozen with SIGSTOP past its lease: after SIGCONT its offset commits are refused', async () => {
    const group = uniqueName('g')
    const child = new ChildWorker(`${group}-frozen`, { url: redis.url, group, commitEveryMs: 20, config: FAST })
    const locals: TestWorker[] = []
    try {
      await child.ready()
      for (let i = 0; i < 2; i++) {
        const w = makeWorker(redis.url, group, `${group}-w${i}`, { commitEveryMs: 20 })
        locals.push(w)
        await w.worker.start()
      }
      const name = uniqueName('conn')
      await locals[0]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '5' } })
      const frozenTasks = await waitFor('child runs a task that has committed', () => {
        const tasks = child.running().filter((i) => i.startsWith('task/'))
        return tasks.length > 0 && tasks.every((t) => child.lines.some((l) => l.kind === 'commit-ok' && l.id === t)) ? tasks : undefined
      }).catch((e: Error) => {
        throw new Error(`${e.message}; child saw: ${JSON.stringify(child.lines.slice(-15))}; locals run: ${JSON.stringify(locals.map((w) => w.runner.running()))}`)
      })
      const tokens = new Map(frozenTasks.map((t) => [t, child.lines.find((l) => l.kind === 'start' && l.id === t)!.token!]))
      // The child started first, so it also leads the group: freezing it freezes the leader too.
      assert.ok(child.lines.some((l) => l.type === 'worker' && l.kind === 'leader'), 'the frozen worker was the leader')

      child.signal('SIGSTOP')
      // The others take the frozen worker's tasks over (new lease generations) and commit.
      await waitFor('take-over of the frozen worker\'s tasks', () => frozenTasks.every((t) =>
        locals.some((w) => w.runner.running().includes(t) && w.runner.events.some((e) => e.kind === 'commit-ok' && e.id === t && e.token! > tokens.get(t)!))),
      { timeoutMs: 10000 })
      const mark = child.lines.length
      child.signal('SIGCONT')

      await waitFor('the zombie notices it was fenced', () => frozenTasks.every((t) =>
        child.lines.slice(mark).some((l) => l.kind === 'commit-refused' && l.id === t && l.token === tokens.get(t))))
      const after = child.lines.slice(mark)
      const zombieWrites = after.filter((l) => l.kind === 'commit-ok' && tokens.get(l.id!) === l.token)
      assert.deepEqual(zombieWrites, [], 'no commit with a stale token succeeded after SIGCONT')
      assert.ok(after.some((l) => l.type === 'worker' && l.kind === 'fenced'), 'the worker status says it was fenced')
      await waitFor('the old leader steps down', () => child.lines.slice(mark).some((l) => l.type === 'worker' && l.kind === 'leader-lost'))
      assert.ok(locals.some((w) => w.worker.status().isLeader), 'a survivor leads')
      // What Redis holds for those tasks was written under a newer generation.
      for (const t of frozenTasks) {
        const off = await locals[0]!.worker.client.hget(`godwit:${group}:offsets:${name}`, JSON.stringify({ item: t }))
        const parsed = JSON.parse(off!) as { token: number }
        assert.ok(parsed.token > tokens.get(t)!, `${t}: committed under generation ${parsed.token} > ${tokens.get(t)}`)
      }
      process.stdout.write(`      fenced zombie commits refused: ${after.filter((l) => l.kind === 'commit-refused').length}\n`)
    } finally {
      await child.kill()
      for (const w of locals) await w.worker.stop()
    }
  })
})
