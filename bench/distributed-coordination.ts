// Distributed mode's coordination costs, each beside a baseline from the same run:
//  1. a fenced offset commit (Lua lease check + HSET) against a plain HSET of the same fields;
//  2. items moved by a join/leave with the sticky assignment against a naive round-robin
//     re-deal, and the time to compute each;
//  3. time from a worker crash until all its items run elsewhere, against the configured
//     session.timeout.ms (the floor: the group cannot know sooner).
// Run: npx tsc -p . && node dist/bench/distributed-coordination.js   (needs /usr/bin/redis-server)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import Redis from 'ioredis'
import { assign, movedCount, type Assignment } from '../connectors/distributed/assignment'
import { DistributedCoordinationConfigDef } from '../connectors/distributed/config'
import { DistributedWorker } from '../connectors/distributed/distributed-worker'
import { FencedOffsetStore } from '../connectors/distributed/fenced-offset-store'
import { groupKeys } from '../connectors/distributed/keys'
import { TaskLeases } from '../connectors/distributed/task-lease'
import type { LeasedItem, WorkRunner } from '../connectors/distributed/work-runner'
import { startRedis } from '../test/helpers/redis'

const COMMITS = Number(process.env.COMMITS ?? 3000)
const row = (what: string, value: string, baseline: string, ratio: string): void => {
  console.log(`| ${what} | ${value} | ${baseline} | ${ratio} |`)
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}

async function commits(redis: Redis): Promise<void> {
  const keys = groupKeys('godwit', `bench-${Date.now()}`)
  const leases = new TaskLeases(redis, keys, 'bench-worker', 60000)
  const got = await leases.acquire('task/c/0')
  if (!got.acquired) throw new Error('lease not acquired')
  const fenced = new FencedOffsetStore(redis, keys, 'c', leases, 'task/c/0', got.token)
  const entry = (i: number) => [{ partition: { topic: 't', partition: 0 }, offset: { offset: i } }]
  const plain = keys.offsets('plain')
  for (const concurrency of [1, 16]) {
    const run = async (op: (i: number) => Promise<unknown>): Promise<number> => timed(async () => {
      let next = 0
      await Promise.all(Array.from({ length: concurrency }, async () => { while (next < COMMITS) await op(next++) }))
    })
    // Alternate baseline and fenced runs and keep the median of each: the machine is shared.
    const bases: number[] = []
    const mines: number[] = []
    for (let round = 0; round < 5; round++) {
      bases.push(await run((i) => redis.hset(plain, '{"partition":0,"topic":"t"}', JSON.stringify({ offset: i }))))
      mines.push(await run((i) => fenced.commit(entry(i))))
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
    const base = median(bases)
    const mine = median(mines)
    row(`offset commit, ${concurrency} in flight (ops/s, median of 5)`, (COMMITS / mine).toFixed(0), `${(COMMITS / base).toFixed(0)} (plain HSET)`, `${(base / mine * 100).toFixed(0)}% of baseline`)
  }
}

function roundRobin(workers: string[], items: string[]): Assignment {
  const out: Assignment = Object.fromEntries(workers.map((w) => [w, [] as string[]]))
  items.forEach((it, i) => out[workers[i % workers.length]!]!.push(it))
  return out
}

function movement(): void {
  const items = Array.from({ length: 600 }, (_, i) => `task/c${i % 20}/${Math.floor(i / 20)}`)
  const ws = Array.from({ length: 10 }, (_, i) => `w${String(i).padStart(2, '0')}`)
  const sticky0 = assign({}, ws, items)
  const rr0 = roundRobin(ws, items)
  const joined = [...ws, 'w10']
  const left = ws.filter((w) => w !== 'w04')
  row('join 11th worker, 600 items: items moved', String(movedCount(sticky0, assign(sticky0, joined, items))), `${movedCount(rr0, roundRobin(joined, items))} (round-robin re-deal)`, '-')
  row('leave of 1 of 10 workers: items moved', String(movedCount(sticky0, assign(sticky0, left, items))), `${movedCount(rr0, roundRobin(left, items))} (round-robin re-deal)`, '-')
  const N = 2000
  const t1 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) assign(sticky0, joined, items)
  const t2 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) roundRobin(joined, items)
  const t3 = process.hrtime.bigint()
  const us = (d: bigint): number => Number(d) / 1e3 / N
  row('compute one assignment, 600 items x 11 workers (µs)', us(t2 - t1).toFixed(0), `${us(t3 - t2).toFixed(0)} (round-robin)`, `${(us(t2 - t1) / us(t3 - t2)).toFixed(1)}x`)
}

class CountingRunner implements WorkRunner {
  readonly running = new Set<string>()
  async start(item: LeasedItem): Promise<void> { this.running.add(item.id) }
  async stop(id: string): Promise<void> { this.running.delete(id) }
}

async function failover(url: string, heartbeat: number, session: number): Promise<void> {
  const group = `bench-${Date.now()}-${session}`
  const ws = Array.from({ length: 3 }, (_, i) => {
    const runner = new CountingRunner()
    const config = DistributedCoordinationConfigDef.parse({ 'group.id': group, 'redis.url': url, 'worker.id': `w${i}`, 'heartbeat.interval.ms': String(heartbeat), 'session.timeout.ms': String(session) })
    return { runner, worker: new DistributedWorker({ config, runner }) }
  })
  for (const w of ws) await w.worker.start()
  await ws[0]!.worker.store.putConnector('c', { 'tasks.max': '30' })
  await ws[0]!.worker.store.seedTaskConfigs('c', { version: 1, tasks: Array.from({ length: 29 }, () => ({})) })
  ws[0]!.worker.wake()
  const total = (list: typeof ws): number => list.reduce((n, w) => n + w.runner.running.size, 0)
  while (total(ws) < 30) await new Promise((r) => setTimeout(r, 5))
  const victim = ws.find((w) => w.runner.running.size > 0)!
  const lost = victim.runner.running.size
  const rest = ws.filter((w) => w !== victim)
  const t0 = Date.now()
  await victim.worker.crash()
  while (total(rest) < 30) await new Promise((r) => setTimeout(r, 5))
  const ms = Date.now() - t0
  row(`crash → ${lost} items running elsewhere, heartbeat ${heartbeat} / session ${session} ms (ms)`, String(ms), `${session} (session.timeout.ms)`, `${(ms / session).toFixed(2)}x`)
  for (const w of rest) await w.worker.stop()
}

async function main(): Promise<void> {
  const server = await startRedis()
  const redis = new Redis(server.url)
  try {
    console.log('| what | Godwit | baseline | ratio |')
    console.log('| --- | ---: | ---: | ---: |')
    await commits(redis)
    movement()
    await failover(server.url, 100, 1000)
    await failover(server.url, 1000, 6000)
  } finally {
    redis.disconnect()
    await server.stop()
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1 })
