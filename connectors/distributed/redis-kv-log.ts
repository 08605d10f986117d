// The runtime's stores (offsets, configs, statuses) on Redis: a KeyValueLog kept in one Redis
// hash, under which the runtime's own KeyValue*Store classes work unchanged (Connect's keys and
// JSON values). Like the file and Kafka-topic variants, a store reads everything at start() and
// then writes through. Distributed mode itself uses the live, fenced stores in this folder; these
// serve a standalone worker or a tool that wants its state in Redis.
import type Redis from 'ioredis'
import {
  KeyValueConfigStore, KeyValueOffsetStore, KeyValueStatusStore,
  type ConfigStore, type KeyValueLog, type OffsetStore, type StatusStore,
} from '../storage'

export class RedisKeyValueLog implements KeyValueLog {
  constructor(private readonly redis: Redis, readonly hash: string) {}

  async start(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.hash)))
  }

  /** All entries in one MULTI: applied together, in order. */
  async write(entries: Array<[string, string | null]>): Promise<void> {
    if (entries.length === 0) return
    const m = this.redis.multi()
    for (const [k, v] of entries) {
      if (v === null) m.hdel(this.hash, k)
      else m.hset(this.hash, k, v)
    }
    const res = await m.exec()
    const failed = res?.find(([err]) => err !== null)
    if (failed !== undefined) throw failed[0]
  }

  async stop(): Promise<void> {}
}

/** Stores named as Connect's internal topics, as hashes under `<namespace>:`. */
export const redisOffsetStore = (redis: Redis, namespace: string): OffsetStore => new KeyValueOffsetStore(new RedisKeyValueLog(redis, `${namespace}:connect-offsets`))
export const redisConfigStore = (redis: Redis, namespace: string): ConfigStore => new KeyValueConfigStore(new RedisKeyValueLog(redis, `${namespace}:connect-configs`))
export const redisStatusStore = (redis: Redis, namespace: string): StatusStore => new KeyValueStatusStore(new RedisKeyValueLog(redis, `${namespace}:connect-status`))
