// Where the coordinator persists committed offsets and group metadata: an append-only log of
// key/value records (a null value is a tombstone), replayed in order at startup. The broker
// backs it with the compacted __consumer_offsets topic; tests use InMemoryOffsetLog.

export interface OffsetLogRecord {
  key: Buffer
  value: Buffer | null
}

export interface OffsetLog {
  /** Durably appends the records, in order; rejects if nothing was written. */
  append(records: OffsetLogRecord[]): Promise<void>
  /** Calls onRecord for every record ever appended (or its compacted survivor), oldest first. */
  replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void>
}

export class InMemoryOffsetLog implements OffsetLog {
  readonly records: OffsetLogRecord[] = []
  /** Set to make the next appends fail, as a full disk or lost partition would. */
  failAppends: Error | undefined

  async append(records: OffsetLogRecord[]): Promise<void> {
    if (this.failAppends !== undefined) throw this.failAppends
    for (const r of records) this.records.push({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) })
  }

  async replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void> {
    for (const r of this.records) onRecord(r.key, r.value)
  }
}
