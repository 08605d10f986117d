// When Redis comes back without the group's data (restarted with no persistence), the workers
// put it back from what they last saw: connector and task configs and the published assignment
// (one script, so nobody acts on a half-restored state), then each worker re-commits the offsets
// and statuses of the items it runs, never overwriting anything newer (HSETNX). A marker key
// tells "state present" from "state lost": it is created with the group and changes on every
// restore, so a worker that sees it missing or changed knows a loss happened.
import { randomBytes } from 'node:crypto'
import type Redis from 'ioredis'
import type { GroupKeys } from './keys'
import type { PublishedAssignment } from './leader-duties'
import { LuaScript } from './lua-script'
import type { ClusterConfigSnapshot } from './redis-config-store'

// KEYS: marker, connectors, taskConfigs, assignment, leaderEpoch. ARGV: new marker, connectors JSON,
// task configs JSON, assignment JSON or '', last leader epoch (so epochs keep increasing).
const RESTORE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('GET', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[1])
for k, v in pairs(cjson.decode(ARGV[2])) do redis.call('HSETNX', KEYS[2], k, v) end
for k, v in pairs(cjson.decode(ARGV[3])) do redis.call('HSETNX', KEYS[3], k, v) end
if ARGV[4] ~= '' then redis.call('SET', KEYS[4], ARGV[4], 'NX') end
redis.call('HSETNX', KEYS[5], 'epoch', ARGV[5])
return ARGV[1]
`, 5)

export function newMarker(): string {
  return `${Date.now()}-${randomBytes(4).toString('hex')}`
}

/** Restores if the marker is missing; returns the marker now in place and whether this call restored. */
export async function restoreGroupState(redis: Redis, keys: GroupKeys, snap: ClusterConfigSnapshot | undefined, assignment: PublishedAssignment | undefined, leaderEpoch: number): Promise<{ marker: string; restored: boolean }> {
  const mine = newMarker()
  const enc = (o: Record<string, unknown>): string => JSON.stringify(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, JSON.stringify(v)])))
  const marker = await RESTORE.run(redis, keys.marker, keys.connectors, keys.taskConfigs, keys.assignment, keys.leaderEpoch,
    mine, enc(snap?.connectors ?? {}), enc(snap?.taskConfigs ?? {}), assignment === undefined ? '' : JSON.stringify(assignment), leaderEpoch) as string
  return { marker, restored: marker === mine }
}
