// One leader at a time: a lease key set only when absent (SET NX PX semantics, inside a script
// so the epoch bump is atomic with it) and renewed only by its holder (compare-and-set). The
// epoch increments whenever leadership changes hands; a holder that re-takes its own expired
// lease (e.g. after a Redis restart) keeps its epoch, so nothing else needs to move.
import type Redis from 'ioredis'
import type { GroupKeys } from './keys'
import { LuaScript } from './lua-script'

// KEYS: leader, leaderEpoch. ARGV: member, ttlMs. Returns { holder, epoch }.
const ACQUIRE_OR_RENEW = new LuaScript(`
local cur = redis.call('GET', KEYS[1])
if cur then
  local holder, epoch = string.match(cur, '^(.*)|(%d+)$')
  if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  return { holder, tonumber(epoch) }
end
local last = redis.call('HGET', KEYS[2], 'holder')
local epoch = tonumber(redis.call('HGET', KEYS[2], 'epoch') or '0')
if last ~= ARGV[1] then
  epoch = epoch + 1
  redis.call('HSET', KEYS[2], 'epoch', epoch, 'holder', ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. epoch, 'PX', ARGV[2])
return { ARGV[1], epoch }
`, 2)

// KEYS: leader. ARGV: member. Deletes only our own lease.
const RELEASE = new LuaScript(`
local cur = redis.call('GET', KEYS[1])
if cur and string.match(cur, '^(.*)|') == ARGV[1] then redis.call('DEL', KEYS[1]); return 1 end
return 0
`, 1)

export interface LeaderView {
  leader: string
  epoch: number
}

export class LeaderLease {
  constructor(private readonly redis: Redis, private readonly keys: GroupKeys, private readonly memberId: string, private readonly ttlMs: number) {}

  /** Takes the lease if free, renews it if ours; returns who leads now and in which epoch. */
  async acquireOrRenew(): Promise<LeaderView> {
    const [leader, epoch] = await ACQUIRE_OR_RENEW.run(this.redis, this.keys.leader, this.keys.leaderEpoch, this.memberId, this.ttlMs) as [string, number]
    return { leader, epoch: Number(epoch) }
  }

  async release(): Promise<void> {
    await RELEASE.run(this.redis, this.keys.leader, this.memberId)
  }

  /** The lease check a leader-only write embeds: the Lua condition for "ARGV[i] still leads". */
  static readonly HOLDS_LUA = `local function holds_leader(key, member)
  local cur = redis.call('GET', key)
  return cur ~= false and string.match(cur, '^(.*)|') == member
end
`
}
