// Work-item leases with fencing tokens. A connector or task runs where its lease is held; each
// take-over increments the item's generation (the fencing token), and every offset or status
// write runs in a script that first checks "this owner still holds this generation". A worker
// frozen (SIGSTOP) or cut off past its lease comes back holding a stale token: its writes are
// refused and it stops the item. A lease that merely expired while nobody took it (a Redis
// outage, a slow worker) is re-created by its holder because the generation has not moved.
import type Redis from 'ioredis'
import type { GroupKeys } from './keys'
import { LuaScript } from './lua-script'

// Shared check. KEYS[1]=lease, KEYS[2]=leaseGen; owner, token, ttl. Returns true when the caller
// holds (or may silently re-take) the lease, and refreshes its expiry.
const HOLDS = `
local function holds(owner, token, ttl)
  local cur = redis.call('HMGET', KEYS[1], 'owner', 'gen')
  if cur[1] then
    if cur[1] == owner and tonumber(cur[2]) == token then
      redis.call('PEXPIRE', KEYS[1], ttl)
      return true
    end
    return false
  end
  local gen = redis.call('GET', KEYS[2])
  if gen == false or tonumber(gen) == token then
    redis.call('SET', KEYS[2], token)
    redis.call('HSET', KEYS[1], 'owner', owner, 'gen', token)
    redis.call('PEXPIRE', KEYS[1], ttl)
    return true
  end
  return false
end
`

// KEYS: lease, leaseGen. ARGV: owner, ttl. Returns { 1, gen } when acquired, { 0, holder, ms left } when held by another.
const ACQUIRE = new LuaScript(`
local cur = redis.call('HMGET', KEYS[1], 'owner', 'gen')
if cur[1] then
  if cur[1] == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return { 1, tonumber(cur[2]) } end
  return { 0, cur[1], redis.call('PTTL', KEYS[1]) }
end
local gen = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'gen', gen)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { 1, gen }
`, 2)

// KEYS: lease, leaseGen. ARGV: owner, token, ttl.
const RENEW = new LuaScript(HOLDS + `return holds(ARGV[1], tonumber(ARGV[2]), ARGV[3]) and 1 or 0`, 2)

// KEYS: lease. ARGV: owner, token.
const RELEASE = new LuaScript(`
local cur = redis.call('HMGET', KEYS[1], 'owner', 'gen')
if cur[1] == ARGV[1] and tonumber(cur[2]) == tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]); return 1 end
return 0
`, 1)

// KEYS: lease, leaseGen, target hash. ARGV: owner, token, ttl, mode ('set' or 'nx': keep existing
// fields), then field/value pairs (value '' deletes the field). Writes only while the lease holds.
const FENCED_HSET = new LuaScript(HOLDS + `
if not holds(ARGV[1], tonumber(ARGV[2]), ARGV[3]) then return 0 end
local cmd = ARGV[4] == 'nx' and 'HSETNX' or 'HSET'
for i = 5, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[3], ARGV[i]) else redis.call(cmd, KEYS[3], ARGV[i], ARGV[i + 1]) end
end
return 1
`, 3)

export type AcquireResult = { acquired: true; token: number } | { acquired: false; holder: string; expiresInMs: number }

export class TaskLeases {
  constructor(private readonly redis: Redis, private readonly keys: GroupKeys, readonly owner: string, readonly ttlMs: number) {}

  async acquire(item: string): Promise<AcquireResult> {
    const [ok, v, ttl] = await ACQUIRE.run(this.redis, this.keys.lease(item), this.keys.leaseGen(item), this.owner, this.ttlMs) as [number, string | number, number?]
    return ok === 1 ? { acquired: true, token: Number(v) } : { acquired: false, holder: String(v), expiresInMs: Number(ttl ?? this.ttlMs) }
  }

  /** False means the item moved to another owner: stop it. */
  async renew(item: string, token: number): Promise<boolean> {
    return await RENEW.run(this.redis, this.keys.lease(item), this.keys.leaseGen(item), this.owner, token, this.ttlMs) === 1
  }

  async release(item: string, token: number): Promise<void> {
    await RELEASE.run(this.redis, this.keys.lease(item), this.owner, token)
  }

  /** HSET/HDEL (value null) fields of `hash` only if the lease still holds; false when fenced. `nx` keeps existing fields. */
  async fencedHset(item: string, token: number, hash: string, fields: Array<[string, string | null]>, opts: { nx?: boolean } = {}): Promise<boolean> {
    const args: Array<string | number> = [this.owner, token, this.ttlMs, opts.nx === true ? 'nx' : 'set']
    for (const [f, v] of fields) args.push(f, v ?? '')
    return await FENCED_HSET.run(this.redis, this.keys.lease(item), this.keys.leaseGen(item), hash, ...args) === 1
  }

  /** Who holds the item now and with which generation (for status and tests). */
  async holder(item: string): Promise<{ owner: string; gen: number } | undefined> {
    const [owner, gen] = await this.redis.hmget(this.keys.lease(item), 'owner', 'gen')
    return owner === null ? undefined : { owner, gen: Number(gen) }
  }
}
