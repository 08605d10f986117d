// Source offsets in Redis, one hash per connector (stable JSON of the partition → JSON offset),
// as the runtime's OffsetStore. RedisOffsetStore reads and writes without a lease (REST offset
// changes on a STOPPED connector). FencedOffsetStore is what a task gets: its writes run in the
// lease-checking script, so a zombie worker's commit is refused with TaskFencedError instead of
// overwriting what the task's new owner committed.
import type Redis from 'ioredis'
import type { SourceOffset, SourcePartition } from '../api'
import { stableJson, type OffsetStore, type SourceOffsetEntry } from '../storage'
import { TaskFencedError } from './errors'
import type { GroupKeys } from './keys'
import type { TaskLeases } from './task-lease'

export class RedisOffsetStore implements OffsetStore {
  constructor(protected readonly redis: Redis, protected readonly keys: GroupKeys) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async get(connector: string, partitions: SourcePartition[]): Promise<Array<SourceOffset | null>> {
    if (partitions.length === 0) return []
    const vs = await this.redis.hmget(this.keys.offsets(connector), ...partitions.map((p) => stableJson(p)))
    return vs.map((v) => (v === null ? null : JSON.parse(v) as SourceOffset))
  }

  async list(connector: string): Promise<Array<{ partition: SourcePartition; offset: SourceOffset }>> {
    const h = await this.redis.hgetall(this.keys.offsets(connector))
    return Object.entries(h).map(([p, o]) => ({ partition: JSON.parse(p) as SourcePartition, offset: JSON.parse(o) as SourceOffset }))
  }

  async set(connector: string, entries: SourceOffsetEntry[]): Promise<void> {
    if (entries.length === 0) return
    const m = this.redis.multi()
    for (const e of entries) {
      if (e.offset === null) m.hdel(this.keys.offsets(connector), stableJson(e.partition))
      else m.hset(this.keys.offsets(connector), stableJson(e.partition), stableJson(e.offset))
    }
    await m.exec()
  }
}

export class FencedOffsetStore extends RedisOffsetStore {
  /** What this lease committed last, per partition: re-committed if Redis loses its data. */
  private readonly committed = new Map<string, string | null>()

  constructor(redis: Redis, keys: GroupKeys, readonly connector: string, private readonly leases: TaskLeases, readonly item: string, readonly token: number) {
    super(redis, keys)
  }

  /** One partition's committed offset in this item's connector. */
  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    return (await this.get(this.connector, [partition]))[0] ?? null
  }

  /** Commits offsets (null removes one) atomically with the lease check; TaskFencedError when fenced. */
  async commit(entries: SourceOffsetEntry[]): Promise<void> {
    await this.set(this.connector, entries)
  }

  override async set(connector: string, entries: SourceOffsetEntry[]): Promise<void> {
    if (connector !== this.connector) throw new Error(`offset store of ${this.item} cannot write offsets of connector ${connector}`)
    if (entries.length === 0) return
    const fields = entries.map((e): [string, string | null] => [stableJson(e.partition), e.offset === null ? null : stableJson(e.offset)])
    const ok = await this.leases.fencedHset(this.item, this.token, this.keys.offsets(connector), fields)
    if (ok) for (const [k, v] of fields) this.committed.set(k, v)
    if (!ok) {
      throw new TaskFencedError(`offset commit for ${this.item} refused: this worker (${this.leases.owner}) no longer holds its lease generation ${this.token}; another worker took the task over`)
    }
  }

  /** Writes the cached latest commits back where Redis has none (after a data loss); returns how many. */
  async recommitCached(): Promise<number> {
    const fields = [...this.committed].filter(([, v]) => v !== null)
    if (fields.length === 0) return 0
    const ok = await this.leases.fencedHset(this.item, this.token, this.keys.offsets(this.connector), fields, { nx: true })
    return ok ? fields.length : 0
  }
}
