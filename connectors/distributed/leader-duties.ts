// What only the leader does: publish the assignment (a write fenced by the leader lease, so a
// deposed leader cannot overwrite its successor's) and apply connector commands to shared state.
import type Redis from 'ioredis'
import { assign, movedCount, type Assignment } from './assignment'
import { CommandRejected, type ConnectorCommand } from './command-queue'
import { LeaderLease } from './leader-lease'
import { LuaScript } from './lua-script'
import type { GroupKeys } from './keys'
import { workItems, type RedisConfigStore, type TargetState } from './redis-config-store'
import { connectorItem, taskItem } from './assignment'

export interface PublishedAssignment {
  generation: number
  leaderEpoch: number
  leader: string
  assignments: Assignment
}

// KEYS: leader, assignment, wake channel, marker. ARGV: member, json, marker the leader knows.
// A marker that changed means Redis lost its data since the leader read it: publish nothing.
const PUBLISH = new LuaScript(LeaderLease.HOLDS_LUA + `
if not holds_leader(KEYS[1], ARGV[1]) then return 0 end
if redis.call('GET', KEYS[4]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('PUBLISH', KEYS[3], 'assignment')
return 1
`, 4)

export async function readAssignment(redis: Redis, keys: GroupKeys): Promise<PublishedAssignment | undefined> {
  const v = await redis.get(keys.assignment)
  return v === null ? undefined : JSON.parse(v) as PublishedAssignment
}

export interface RebalanceResult {
  published: PublishedAssignment
  changed: boolean
  moved: number
}

/**
 * Computes and publishes the next assignment. `keepWorkers` are members the leader must not drop
 * yet (right after a Redis outage their heartbeats have not caught up); they keep what they had.
 */
export async function rebalance(redis: Redis, keys: GroupKeys, store: RedisConfigStore, me: string, epoch: number,
  live: string[], keepWorkers: string[], marker: string): Promise<RebalanceResult | undefined> {
  const prev = await readAssignment(redis, keys)
  const snapshot = await store.snapshot()
  const items = workItems(snapshot)
  const workers = [...new Set([...live, ...keepWorkers])]
  // No published assignment (first start, or Redis lost its data): start from who holds the
  // leases, so work that is running stays where it runs.
  const base = prev?.assignments ?? await assignmentFromLeases(redis, keys, items)
  const next = assign(base, workers, items)
  const same = prev !== undefined && prev.leaderEpoch === epoch && JSON.stringify(prev.assignments) === JSON.stringify(next)
  if (same) return { published: prev, changed: false, moved: 0 }
  const published: PublishedAssignment = { generation: (prev?.generation ?? 0) + 1, leaderEpoch: epoch, leader: me, assignments: next }
  const ok = await PUBLISH.run(redis, keys.leader, keys.assignment, keys.wakeChannel, keys.marker, me, JSON.stringify(published), marker)
  if (ok !== 1) return undefined
  return { published, changed: true, moved: movedCount(base, next) }
}

async function assignmentFromLeases(redis: Redis, keys: GroupKeys, items: string[]): Promise<Assignment> {
  if (items.length === 0) return {}
  const p = redis.pipeline()
  for (const i of items) p.hget(keys.lease(i), 'owner')
  const owners = await p.exec() ?? []
  const out: Assignment = {}
  items.forEach((item, n) => {
    const owner = owners[n]?.[1]
    if (typeof owner === 'string') (out[owner] ??= []).push(item)
  })
  return out
}

/** Applies one connector command to shared state; the result is what REST returns. */
export async function applyCommand(redis: Redis, keys: GroupKeys, store: RedisConfigStore, cmd: ConnectorCommand): Promise<unknown> {
  const wake = async (): Promise<void> => { await redis.publish(keys.wakeChannel, 'config') }
  const existing = await store.connector(cmd.name)
  const missing = (): never => { throw new CommandRejected(404, `Connector ${cmd.name} not found`) }
  switch (cmd.op) {
    case 'create':
      if (existing !== undefined) throw new CommandRejected(409, `Connector ${cmd.name} already exists`)
      await store.putConnector(cmd.name, cmd.config, cmd.initialState ?? 'STARTED')
      await wake()
      return { name: cmd.name, config: cmd.config, created: true }
    case 'update': {
      const rec = await store.putConnector(cmd.name, cmd.config, existing === undefined ? cmd.initialState ?? 'STARTED' : undefined)
      await wake()
      return { name: cmd.name, config: cmd.config, created: existing === undefined, version: rec.version }
    }
    case 'delete':
      if (!(await store.deleteConnector(cmd.name))) missing()
      await wake()
      return { name: cmd.name, deleted: true }
    case 'pause':
    case 'resume':
    case 'stop': {
      const state: TargetState = cmd.op === 'pause' ? 'PAUSED' : cmd.op === 'resume' ? 'STARTED' : 'STOPPED'
      if (!(await store.setTargetState(cmd.name, state))) missing()
      // Connect empties a stopped connector's task configs; they are generated again on resume.
      if (state === 'STOPPED') await store.seedTaskConfigs(cmd.name, { version: existing!.version, tasks: [] })
      await wake()
      return { name: cmd.name, targetState: state }
    }
    case 'restart': {
      if (existing === undefined) missing()
      const snap = await store.snapshot()
      const items = [connectorItem(cmd.name)]
      if (cmd.includeTasks === true) {
        const n = snap.taskConfigs[cmd.name]?.tasks.length ?? 0
        for (let i = 0; i < n; i++) {
          const id = taskItem(cmd.name, i)
          if (cmd.onlyFailed === true && !(await isFailed(redis, keys, id))) continue
          items.push(id)
        }
      }
      if (cmd.onlyFailed === true && !(await isFailed(redis, keys, items[0]!))) items.shift()
      await store.requestRestart(items)
      await wake()
      return { name: cmd.name, restarted: items }
    }
    case 'restart-task': {
      if (existing === undefined) missing()
      await store.requestRestart([taskItem(cmd.name, cmd.task)])
      await wake()
      return { name: cmd.name, restarted: [taskItem(cmd.name, cmd.task)] }
    }
  }
}

async function isFailed(redis: Redis, keys: GroupKeys, item: string): Promise<boolean> {
  const v = await redis.hget(keys.status, item)
  return v !== null && (JSON.parse(v) as { state: string }).state === 'FAILED'
}
