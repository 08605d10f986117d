// Group membership: each worker heartbeats into a sorted set scored by its session expiry
// (Redis server time, so worker clocks never matter). One script refreshes the caller, prunes
// the expired and returns who is alive, so every worker sees the same list.
import type Redis from 'ioredis'
import type { GroupKeys } from './keys'
import { LuaScript } from './lua-script'

export const NOW_LUA = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

// KEYS: members, memberInfo, marker. ARGV: member, sessionMs, infoJson.
// Returns { marker or false, live members, ms until the next session expires }.
const HEARTBEAT = new LuaScript(NOW_LUA + `
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, m in ipairs(expired) do redis.call('HDEL', KEYS[2], m) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { redis.call('GET', KEYS[3]), redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf'), tonumber(first[2]) - now }
`, 3)

// KEYS: members, memberInfo. ARGV: member.
const LEAVE = new LuaScript(`redis.call('ZREM', KEYS[1], ARGV[1]); redis.call('HDEL', KEYS[2], ARGV[1]); return 1`, 2)

export interface MemberInfo {
  /** REST URL this worker advertises (Connect's rest.advertised.*), if it serves REST. */
  url?: string
  startedAt: number
}

export class Membership {
  constructor(
    private readonly redis: Redis,
    private readonly keys: GroupKeys,
    readonly memberId: string,
    private readonly sessionMs: number,
    private readonly info: MemberInfo,
  ) {}

  /**
   * Refreshes this member's session; returns the live members (sorted), the group's state marker
   * (null when Redis has lost the group's data) and how soon the first session expires (the
   * leader looks again then, so a dead worker is noticed on time, not a heartbeat late).
   */
  async heartbeat(): Promise<{ live: string[]; marker: string | null; nextExpiryMs: number }> {
    const [marker, live, next] = await HEARTBEAT.run(this.redis, this.keys.members, this.keys.memberInfo, this.keys.marker,
      this.memberId, this.sessionMs, JSON.stringify(this.info)) as [string | null, string[], number]
    return { live: [...live].sort(), marker, nextExpiryMs: Number(next) }
  }

  /** Leaves at once (graceful shutdown), so the leader need not wait for the session to expire. */
  async leave(): Promise<void> {
    await LEAVE.run(this.redis, this.keys.members, this.keys.memberInfo, this.memberId)
  }

  /** Member id → advertised info, for forwarding requests and for status. */
  async infos(): Promise<Record<string, MemberInfo>> {
    const raw = await this.redis.hgetall(this.keys.memberInfo)
    const out: Record<string, MemberInfo> = {}
    for (const [id, json] of Object.entries(raw)) out[id] = JSON.parse(json) as MemberInfo
    return out
  }
}
