// Connector configs, task configs, target states and restart requests, shared in Redis hashes.
// Every worker reads them; only the leader writes connector configs (through the command queue),
// and only the holder of a connector's lease writes its task configs (fenced).
import { createHash } from 'node:crypto'
import type Redis from 'ioredis'
import { connectorItem, taskItem } from './assignment'
import { NotLeaderError } from './errors'
import type { GroupKeys } from './keys'
import { LeaderLease } from './leader-lease'
import { LuaScript } from './lua-script'
import type { TaskLeases } from './task-lease'

export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export interface ConnectorRecord {
  config: Record<string, string>
  targetState: TargetState
  /** Bumped on every config change, so running items notice and restart. */
  version: number
}

export interface TaskConfigsRecord {
  /** The connector version these task configs were generated from. */
  version: number
  tasks: Array<Record<string, string>>
}

export interface ClusterConfigSnapshot {
  connectors: Record<string, ConnectorRecord>
  taskConfigs: Record<string, TaskConfigsRecord>
  restarts: Record<string, number>
}

type HashOp = ['set' | 'del' | 'incr', string, string, string]

// KEYS: leader. ARGV: member, then (op, hash, field, value) quadruples. Applied only while
// `member` holds the leader lease, so a deposed leader (frozen mid-command) cannot overwrite
// what its successor decided.
const LEADER_WRITE = new LuaScript(LeaderLease.HOLDS_LUA + `
if not holds_leader(KEYS[1], ARGV[1]) then return 0 end
for i = 2, #ARGV, 4 do
  local op, h, f, v = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if op == 'set' then redis.call('HSET', h, f, v)
  elseif op == 'del' then redis.call('HDEL', h, f)
  else redis.call('HINCRBY', h, f, tonumber(v)) end
end
return 1
`, 1)

export class RedisConfigStore {
  /**
   * `leader`: the member id whose leader lease every write must hold (the command handler's
   * store); without it writes are unconditional (tools, tests seeding a group).
   */
  constructor(private readonly redis: Redis, private readonly keys: GroupKeys, private readonly leader?: string) {}

  /** This store, writing only while `member` leads. */
  fencedBy(member: string): RedisConfigStore {
    return new RedisConfigStore(this.redis, this.keys, member)
  }

  private async write(ops: HashOp[]): Promise<void> {
    if (ops.length === 0) return
    if (this.leader === undefined) {
      const m = this.redis.multi()
      for (const [op, h, f, v] of ops) {
        if (op === 'set') m.hset(h, f, v)
        else if (op === 'del') m.hdel(h, f)
        else m.hincrby(h, f, Number(v))
      }
      await m.exec()
      return
    }
    if (await LEADER_WRITE.run(this.redis, this.keys.leader, this.leader, ...ops.flat()) !== 1) {
      throw new NotLeaderError(`worker ${this.leader} is no longer the group leader; the command is retried by the current leader`)
    }
  }

  async snapshot(): Promise<ClusterConfigSnapshot> {
    const [c, t, r] = await this.redis.multi()
      .hgetall(this.keys.connectors).hgetall(this.keys.taskConfigs).hgetall(this.keys.restarts).exec() as Array<[Error | null, Record<string, string>]>
    const parse = <T>(h: Record<string, string>): Record<string, T> =>
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k, JSON.parse(v) as T]))
    return {
      connectors: parse<ConnectorRecord>(c![1]),
      taskConfigs: parse<TaskConfigsRecord>(t![1]),
      restarts: Object.fromEntries(Object.entries(r![1]).map(([k, v]) => [k, Number(v)])),
    }
  }

  async connector(name: string): Promise<ConnectorRecord | undefined> {
    const v = await this.redis.hget(this.keys.connectors, name)
    return v === null ? undefined : JSON.parse(v) as ConnectorRecord
  }

  async putConnector(name: string, config: Record<string, string>, targetState?: TargetState): Promise<ConnectorRecord> {
    const prev = await this.connector(name)
    const rec: ConnectorRecord = { config, targetState: targetState ?? prev?.targetState ?? 'STARTED', version: (prev?.version ?? 0) + 1 }
    await this.write([['set', this.keys.connectors, name, JSON.stringify(rec)]])
    return rec
  }

  async setTargetState(name: string, targetState: TargetState): Promise<boolean> {
    const prev = await this.connector(name)
    if (prev === undefined) return false
    await this.write([['set', this.keys.connectors, name, JSON.stringify({ ...prev, targetState })]])
    return true
  }

  /** Removes the connector, its task configs and statuses (offsets stay, as in Connect). */
  async deleteConnector(name: string): Promise<boolean> {
    if ((await this.connector(name)) === undefined) return false
    const statusFields = (await this.redis.hkeys(this.keys.status))
      .filter((f) => f === `connector/${name}` || (f.startsWith(`task/${name}/`) && /^\d+$/.test(f.slice(`task/${name}/`.length))))
    await this.write([
      ['del', this.keys.connectors, name, ''], ['del', this.keys.taskConfigs, name, ''],
      ...statusFields.map((f): HashOp => ['del', this.keys.status, f, '']),
    ])
    return true
  }

  /** Task configs, written by whoever holds the connector's lease (refused when fenced). */
  async putTaskConfigs(leases: TaskLeases, name: string, token: number, rec: TaskConfigsRecord): Promise<boolean> {
    return leases.fencedHset(connectorItem(name), token, this.keys.taskConfigs, [[name, JSON.stringify(rec)]])
  }

  /** Task configs written by the leader (Connect empties them on stop) or by tools seeding a group. */
  async seedTaskConfigs(name: string, rec: TaskConfigsRecord): Promise<void> {
    await this.write([['set', this.keys.taskConfigs, name, JSON.stringify(rec)]])
  }

  async requestRestart(items: string[]): Promise<void> {
    await this.write(items.map((i): HashOp => ['incr', this.keys.restarts, i, '1']))
  }
}

/** Every work item the cluster should run: each connector, and each of its current tasks. */
export function workItems(s: ClusterConfigSnapshot): string[] {
  const items: string[] = []
  for (const name of Object.keys(s.connectors).sort()) {
    items.push(connectorItem(name))
    const tc = s.taskConfigs[name]
    if (tc === undefined) continue
    for (let i = 0; i < tc.tasks.length; i++) items.push(taskItem(name, i))
  }
  return items
}

/**
 * What a running item depends on; when it changes the item restarts. A connector restarts on a
 * config change or restart request; a task when its connector publishes new task configs (which
 * carry the connector config version) whose content for this task differs, or on a restart request.
 */
export function itemRevision(s: ClusterConfigSnapshot, item: string, connector: string): string {
  const restarts = s.restarts[item] ?? 0
  if (!item.startsWith('task/')) return `${s.connectors[connector]?.version ?? 0}:${restarts}`
  const tc = s.taskConfigs[connector]
  const task = Number(item.slice(item.lastIndexOf('/') + 1))
  const digest = createHash('sha1').update(JSON.stringify(tc?.tasks[task] ?? null)).digest('hex').slice(0, 12)
  return `${tc?.version ?? 0}:${digest}:${restarts}`
}
