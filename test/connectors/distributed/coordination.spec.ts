import { strict as assert } from 'node:assert'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { makeWorker, type TestWorker } from './fixtures/worker-factory'

/** item → workers running it, over all workers. */
function runningMap(ws: TestWorker[]): Map<string, string[]> {
  const m = new Map<string, string[]>()
  for (const w of ws) for (const i of w.runner.running()) m.set(i, [...(m.get(i) ?? []), w.worker.id])
  return m
}

/** True when exactly `n` items run, each on exactly one worker. */
function allRunningOnce(ws: TestWorker[], n: number): boolean {
  const m = runningMap(ws)
  return m.size === n && [...m.values()].every((l) => l.length === 1)
}

describe('connectors/distributed: membership, leader, assignment, commands (real redis-server)', function () {
  this.timeout(30000)
  let redis: TestRedis
  const workers: TestWorker[] = []

  before(async () => { redis = await startRedis({ aof: true }) })
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.worker.stop()
  })
  after(async () => { await redis.stop() })

  async function startGroup(n: number, group = uniqueName('g')): Promise<{ group: string; ws: TestWorker[] }> {
    const ws: TestWorker[] = []
    for (let i = 0; i < n; i++) {
      const w = makeWorker(redis.url, group, `${group}-w${i}`)
      workers.push(w)
      ws.push(w)
      await w.worker.start()
    }
    return { group, ws }
  }

  it('elects exactly one leader, and a successor with a higher epoch when the leader crashes', async () => {
    const { ws } = await startGroup(3)
    const leader = await waitFor('one agreed leader', () => {
      const st = ws.map((w) => w.worker.status())
      const leaders = st.filter((s) => s.isLeader)
      return leaders.length === 1 && st.every((s) => s.leader === leaders[0]!.workerId) ? leaders[0]! : undefined
    })
    const crashed = ws.find((w) => w.worker.id === leader.workerId)!
    const t0 = Date.now()
    await crashed.worker.crash()
    const rest = ws.filter((w) => w !== crashed)
    // A command sent while the group has no leader waits in the queue for the next one.
    const pending = rest[0]!.worker.submit({ op: 'create', name: 'during-failover', config: { 'tasks.max': '1' } })
    const next = await waitFor('a new leader', () => {
      const st = rest.map((w) => w.worker.status())
      const leaders = st.filter((s) => s.isLeader)
      return leaders.length === 1 && st.every((s) => s.leader === leaders[0]!.workerId) ? leaders[0]! : undefined
    })
    const failoverMs = Date.now() - t0
    assert.notEqual(next.workerId, leader.workerId)
    assert.ok(next.leaderEpoch! > leader.leaderEpoch!, `epoch ${next.leaderEpoch} > ${leader.leaderEpoch}`)
    assert.ok(failoverMs < 3500, `failover took ${failoverMs} ms with a 1500 ms lease`)
    await waitFor('crashed member dropped from the group', () => rest.every((w) => !w.worker.status().members.includes(crashed.worker.id)))
    assert.deepEqual(await pending, { name: 'during-failover', config: { 'tasks.max': '1' }, created: true })
  })

  it('spreads work, and a join or leave moves as few items as possible without restarting the rest', async () => {
    const { group, ws } = await startGroup(2)
    const name = uniqueName('conn')
    await ws[0]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '5' } })
    // 1 connector + 5 tasks = 6 items over 2 workers.
    await waitFor('6 items running once each', () => allRunningOnce(ws, 6))
    assert.deepEqual(ws.map((w) => w.runner.running().length), [3, 3])

    const joiner = makeWorker(redis.url, group, `${group}-w2`)
    workers.push(joiner)
    await joiner.worker.start()
    const three = [...ws, joiner]
    await waitFor('joiner runs its share', () => allRunningOnce(three, 6) && joiner.runner.running().length === 2)
    const moved = joiner.runner.running()
    // Only the two items that moved were stopped anywhere; nothing else restarted.
    const stops = three.flatMap((w) => w.runner.events.filter((e) => e.kind === 'stop'))
    assert.deepEqual(stops.map((e) => e.id).sort(), moved)
    assert.ok(stops.every((e) => e.reason === 'revoked'))
    for (const w of ws) for (const i of w.runner.running()) assert.equal(w.runner.startsOf(i), 1, `${i} started once`)

    // A graceful leave: the leaver's 2 items move, the other 4 keep running untouched.
    const before = new Map(ws.map((w) => [w.worker.id, w.runner.running()]))
    await joiner.worker.stop()
    workers.splice(workers.indexOf(joiner), 1)
    await waitFor('back to two workers', () => allRunningOnce(ws, 6))
    for (const w of ws) for (const i of before.get(w.worker.id)!) {
      assert.ok(w.runner.running().includes(i), `${i} still on ${w.worker.id}`)
      assert.equal(w.runner.startsOf(i), 1, `${i} not restarted`)
    }
  })

  it('keeps heartbeating while a connector takes longer than the session timeout to start', async () => {
    const { ws } = await startGroup(2)
    for (const w of ws) w.runner.startDelayMs = 2000 // session.timeout.ms is 1500
    const name = uniqueName('slow')
    await ws[0]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '1' } })
    await waitFor('both items started (slowly)', () => ws.reduce((n, w) => n + w.runner.events.filter((e) => e.kind === 'start').length, 0) === 2 && allRunningOnce(ws, 2), { timeoutMs: 10000 })
    for (const w of ws) {
      assert.equal(w.worker.status().members.length, 2, 'nobody was dropped from the group')
      assert.ok(!w.runner.events.some((e) => e.kind === 'stop'), 'nothing was stopped or moved')
    }
  })

  it('applies commands through the leader: pause state, restart of one task, delete stops everything', async () => {
    const { ws } = await startGroup(3)
    const name = uniqueName('conn')
    const created = await ws[2]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '2' } })
    assert.deepEqual(created, { name, config: { 'tasks.max': '2' }, created: true })
    await assert.rejects(ws[1]!.worker.submit({ op: 'create', name, config: {} }), (e: Error & { code?: string; status?: number }) => /already exists/.test(e.message) && e.code === 'DISTRIBUTED_COMMAND_FAILED' && e.status === 409)
    await waitFor('3 items running', () => allRunningOnce(ws, 3))

    await ws[0]!.worker.submit({ op: 'pause', name })
    assert.equal((await ws[1]!.worker.snapshot()).connectors[name]!.targetState, 'PAUSED')

    const task0 = `task/${name}/0`
    const owner = ws.find((w) => w.runner.running().includes(task0))!
    await ws[0]!.worker.submit({ op: 'restart-task', name, task: 0 })
    await waitFor('task 0 restarted', () => ws.some((w) => w.runner.startsOf(task0) === 2 && w.runner.running().includes(task0)) || (owner.runner.startsOf(task0) === 1 && ws.some((w) => w !== owner && w.runner.startsOf(task0) === 1)))
    assert.ok(owner.runner.events.some((e) => e.kind === 'stop' && e.id === task0 && e.reason === 'restart'))

    await ws[1]!.worker.submit({ op: 'delete', name })
    await waitFor('nothing running', () => ws.every((w) => w.runner.running().length === 0))
    await assert.rejects(ws[1]!.worker.submit({ op: 'delete', name }), (e: Error & { status?: number }) => /not found/.test(e.message) && e.status === 404)
  })

  it('keeps tasks running through a Redis crash and restart, reports it, and reconverges without restarting them', async () => {
    const { ws } = await startGroup(3)
    const name = uniqueName('conn')
    await ws[0]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '5' } })
    await waitFor('6 items running', () => allRunningOnce(ws, 6))
    const placement = new Map(ws.map((w) => [w.worker.id, w.runner.running()]))

    await redis.kill('SIGKILL')
    await waitFor('every worker notices', () => ws.every((w) => w.worker.status().redis.startsWith('unreachable')))
    // Stay down for longer than the lease (1500 ms) so leases expire in Redis' eyes.
    await new Promise((r) => setTimeout(r, 2000))
    for (const w of ws) assert.deepEqual(w.runner.running(), placement.get(w.worker.id), 'tasks kept running while Redis was down')
    await redis.restart()

    await waitFor('reconnected with one leader', () => {
      const st = ws.map((w) => w.worker.status())
      return st.every((s) => s.redis === 'connected') && st.filter((s) => s.isLeader).length === 1
    }, { timeoutMs: 10000 })
    // Let a few rounds pass and check that nothing moved or restarted.
    const gen = ws[0]!.worker.status().generation
    await waitFor('a few heartbeat rounds', () => ws.every((w) => w.worker.status().events.some((e) => e.kind === 'redis-reconnected')))
    await waitFor('all members seen again', () => ws.every((w) => w.worker.status().members.length === 3))
    assert.ok(allRunningOnce(ws, 6))
    for (const w of ws) {
      assert.deepEqual(w.runner.running(), placement.get(w.worker.id))
      for (const i of w.runner.running()) assert.equal(w.runner.startsOf(i), 1, `${i} was not restarted`)
      assert.ok(!w.runner.events.some((e) => e.kind === 'stop'), 'no item stopped')
      const kinds = w.worker.status().events.map((e) => e.kind)
      assert.ok(kinds.includes('redis-unreachable') && kinds.includes('redis-reconnected'), kinds.join(','))
    }
    assert.ok(ws[0]!.worker.status().generation! >= gen!)
  })
})

describe('connectors/distributed: redis.unreachable.policy=stop-tasks', function () {
  this.timeout(30000)
  it('stops tasks once Redis has been away longer than task.lease.ms, says so, and starts them again when it returns', async () => {
    const redis = await startRedis({ aof: true })
    const group = uniqueName('g')
    const w = makeWorker(redis.url, group, `${group}-w0`, { extra: { 'redis.unreachable.policy': 'stop-tasks' } })
    try {
      await w.worker.start()
      await w.worker.submit({ op: 'create', name: 'c', config: { 'tasks.max': '2' } })
      await waitFor('3 items running', () => w.runner.running().length === 3)
      await redis.kill('SIGKILL')
      await waitFor('items stopped', () => w.runner.running().length === 0, { timeoutMs: 10000 })
      assert.ok(w.runner.events.filter((e) => e.kind === 'stop').every((e) => e.reason === 'redis-unreachable'))
      assert.ok(w.worker.status().events.some((e) => e.kind === 'tasks-stopped'))
      await redis.restart()
      await waitFor('items running again', () => w.runner.running().length === 3, { timeoutMs: 10000 })
    } finally {
      await w.worker.stop()
      await redis.stop()
    }
  })
})

describe('connectors/distributed: Redis restarted without persistence (all coordination state lost)', function () {
  this.timeout(30000)
  let redis: TestRedis
  const workers: TestWorker[] = []
  before(async () => { redis = await startRedis() })
  after(async () => {
    for (const w of workers.splice(0)) await w.worker.stop()
    await redis.stop()
  })

  it('restores the connector configs from the workers\' copies, keeps every task where it runs, and commits offsets again', async () => {
    const group = uniqueName('g')
    for (let i = 0; i < 3; i++) {
      const w = makeWorker(redis.url, group, `${group}-w${i}`, { commitEveryMs: 50 })
      workers.push(w)
      await w.worker.start()
    }
    const name = uniqueName('conn')
    await workers[0]!.worker.submit({ op: 'create', name, config: { 'tasks.max': '5' } })
    await waitFor('6 items running', () => allRunningOnce(workers, 6))
    const placement = new Map(workers.map((w) => [w.worker.id, w.runner.running()]))
    const offsetsKey = `godwit:${group}:offsets:${name}`
    await waitFor('every task committed once', async () => Object.keys(await workers[0]!.worker.client.hgetall(offsetsKey)).length === 5)

    await redis.restart() // kill -9, then an empty server on the same port
    await waitFor('configs restored and everyone connected', async () => {
      const snap = await workers[0]!.worker.snapshot().catch(() => undefined)
      return snap?.connectors[name] !== undefined && snap.taskConfigs[name]?.tasks.length === 5 &&
        workers.every((w) => w.worker.status().redis === 'connected' && w.worker.status().members.length === 3)
    }, { timeoutMs: 10000 })
    await waitFor('an assignment published again', () => workers.every((w) => w.worker.status().assigned.length === 2))
    assert.ok(workers.some((w) => w.worker.status().events.some((e) => e.kind === 'state-restored')))
    for (const w of workers) {
      assert.deepEqual(w.runner.running(), placement.get(w.worker.id), `${w.worker.id} kept its items`)
      for (const i of w.runner.running()) assert.equal(w.runner.startsOf(i), 1, `${i} not restarted`)
    }
    await waitFor('offsets committed again for every task', async () => {
      return Object.keys(await workers[0]!.worker.client.hgetall(offsetsKey)).length === 5
    })
    const recovered = workers.map((w) => w.worker.status().events.find((e) => e.kind === 'state-recovered'))
    assert.ok(recovered.every((e) => e !== undefined), 'every worker re-committed what it runs')
    const recommitted = recovered.reduce((n, e) => n + Number(/re-committed (\d+)/.exec(e!.message)![1]), 0)
    assert.equal(recommitted, 5, `each task's cached offset was offered back: ${recovered.map((e) => e!.message).join(' | ')}`)
  })
})
