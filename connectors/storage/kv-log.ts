// Every store (offsets, configs, statuses) is a map of string keys to JSON string values kept in
// a KeyValueLog: memory (tests), a file (standalone), or a compacted Kafka topic (Connect's
// internal topics). A store reads the whole log at start and then writes through it.

export interface KeyValueLog {
  /** Loads the log and returns the latest value of every live key. */
  start(): Promise<Map<string, string>>
  /** Writes durably, in order; a null value deletes the key (a tombstone). */
  write(entries: Array<[string, string | null]>): Promise<void>
  stop(): Promise<void>
}

export class MemoryKeyValueLog implements KeyValueLog {
  readonly data = new Map<string, string>()
  async start(): Promise<Map<string, string>> { return new Map(this.data) }
  async write(entries: Array<[string, string | null]>): Promise<void> {
    for (const [k, v] of entries) {
      if (v === null) this.data.delete(k)
      else this.data.set(k, v)
    }
  }
  async stop(): Promise<void> {}
}

/**
 * A JSON-like stable stringify: object keys sorted, so equal source partitions give equal keys
 * whatever order a task builds them in.
 */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`
}
