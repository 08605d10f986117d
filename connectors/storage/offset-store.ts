// Source offsets, keyed as Kafka Connect keys them: JSON ["<connector>", <sourcePartition>] with
// the offset object as the JSON value (a null value deletes it).
import type { SourceOffset, SourcePartition } from '../api'
import { MemoryKeyValueLog, stableJson, type KeyValueLog } from './kv-log'

export interface SourceOffsetEntry {
  partition: SourcePartition
  offset: SourceOffset | null
}

/** What the runtime (and distributed mode) needs from an offset store. */
export interface OffsetStore {
  start(): Promise<void>
  stop(): Promise<void>
  /** Latest committed offsets of `connector` for these partitions, in order (null = none). */
  get(connector: string, partitions: SourcePartition[]): Promise<Array<SourceOffset | null>>
  /** Every partition of `connector` with a committed offset (GET /connectors/{name}/offsets). */
  list(connector: string): Promise<Array<{ partition: SourcePartition; offset: SourceOffset }>>
  /** Durably records offsets (null offset = remove); resolves once written. */
  set(connector: string, entries: SourceOffsetEntry[]): Promise<void>
}

export function offsetKey(connector: string, partition: SourcePartition): string {
  return stableJson([connector, partition])
}

export class KeyValueOffsetStore implements OffsetStore {
  private data = new Map<string, string>()

  constructor(private readonly kv: KeyValueLog) {}

  async start(): Promise<void> {
    this.data = await this.kv.start()
  }

  async stop(): Promise<void> {
    await this.kv.stop()
  }

  async get(connector: string, partitions: SourcePartition[]): Promise<Array<SourceOffset | null>> {
    return partitions.map((p) => {
      const v = this.data.get(offsetKey(connector, p))
      return v === undefined ? null : (JSON.parse(v) as SourceOffset)
    })
  }

  async list(connector: string): Promise<Array<{ partition: SourcePartition; offset: SourceOffset }>> {
    const out: Array<{ partition: SourcePartition; offset: SourceOffset }> = []
    for (const [k, v] of this.data) {
      const key = JSON.parse(k) as [string, SourcePartition]
      if (Array.isArray(key) && key[0] === connector) out.push({ partition: key[1], offset: JSON.parse(v) as SourceOffset })
    }
    return out
  }

  async set(connector: string, entries: SourceOffsetEntry[]): Promise<void> {
    const writes: Array<[string, string | null]> = entries.map((e) => [offsetKey(connector, e.partition), e.offset === null ? null : stableJson(e.offset)])
    await this.kv.write(writes)
    for (const [k, v] of writes) {
      if (v === null) this.data.delete(k)
      else this.data.set(k, v)
    }
  }
}

export const memoryOffsetStore = (): OffsetStore => new KeyValueOffsetStore(new MemoryKeyValueLog())
