// Source offsets in Redis, one hash per connector (JSON partition → JSON offset). Reads are open
// to every worker; writes go through the task's lease, so a zombie worker's commit is refused
// with TaskFencedError instead of overwriting what the new owner committed.
import type Redis from 'ioredis'
import type { SourceOffset, SourcePartition } from '../api'
import { TaskFencedError } from './errors'
import type { GroupKeys } from './keys'
import type { TaskLeases } from './task-lease'

/** Kafka Connect keys offsets by the JSON of the partition; key order must be stable, so sort. */
export function partitionKey(p: SourcePartition): string {
  return JSON.stringify(p, Object.keys(p).sort())
}

export class RedisOffsetReader {
  constructor(protected readonly redis: Redis, protected readonly keys: GroupKeys, readonly connector: string) {}

  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    const v = await this.redis.hget(this.keys.offsets(this.connector), partitionKey(partition))
    return v === null ? null : JSON.parse(v) as SourceOffset
  }

  async offsets(partitions: SourcePartition[]): Promise<Array<SourceOffset | null>> {
    if (partitions.length === 0) return []
    const vs = await this.redis.hmget(this.keys.offsets(this.connector), ...partitions.map(partitionKey))
    return vs.map((v) => (v === null ? null : JSON.parse(v) as SourceOffset))
  }

  async all(): Promise<Array<{ partition: SourcePartition; offset: SourceOffset }>> {
    const h = await this.redis.hgetall(this.keys.offsets(this.connector))
    return Object.entries(h).map(([p, o]) => ({ partition: JSON.parse(p) as SourcePartition, offset: JSON.parse(o) as SourceOffset }))
  }
}

export class FencedOffsetStore extends RedisOffsetReader {
  constructor(redis: Redis, keys: GroupKeys, connector: string, private readonly leases: TaskLeases, readonly item: string, readonly token: number) {
    super(redis, keys, connector)
  }

  /** Commits offsets (null removes one) atomically with the lease check; throws TaskFencedError when fenced. */
  async commit(entries: Array<{ partition: SourcePartition; offset: SourceOffset | null }>): Promise<void> {
    if (entries.length === 0) return
    const ok = await this.leases.fencedHset(this.item, this.token, this.keys.offsets(this.connector),
      entries.map((e) => [partitionKey(e.partition), e.offset === null ? null : JSON.stringify(e.offset)]))
    if (!ok) {
      throw new TaskFencedError(`offset commit for ${this.item} refused: this worker (${this.leases.owner}) no longer holds its lease generation ${this.token}; another worker took the task over`)
    }
  }
}
