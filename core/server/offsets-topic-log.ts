// The GroupCoordinator's OffsetLog backed by the compacted __consumer_offsets topic: each record
// goes to the partition its group hashes to (so a group's records stay in order), written as one
// RecordBatch per partition per append; replay reads every partition from its start.
import { decodeKey } from '../group/offset-records'
import type { OffsetLog, OffsetLogRecord } from '../group/offset-log'
import { decodeBatches, encodeBatch } from '../protocol/records/record-codec'
import { OFFSETS_TOPIC } from './cluster-state'
import type { LogManager } from '../log/log-manager'

/** Reads in chunks of this many bytes while replaying. */
const REPLAY_CHUNK = 1 << 20

export class OffsetsTopicLog implements OffsetLog {
  /** partitionFor maps a group id to its __consumer_offsets partition (ClusterState.offsetsPartitionFor). */
  constructor(private readonly logs: LogManager, private readonly partitionFor: (groupId: string) => number) {}

  async append(records: OffsetLogRecord[]): Promise<void> {
    const byPartition = new Map<number, OffsetLogRecord[]>()
    for (const r of records) {
      const p = this.partitionFor(decodeKey(r.key).group)
      let list = byPartition.get(p)
      if (list === undefined) byPartition.set(p, list = [])
      list.push(r)
    }
    await Promise.all([...byPartition].map(async ([p, list]) => {
      const log = this.partition(p)
      const batch = encodeBatch({ baseOffset: 0, records: list.map((r) => ({ key: r.key, value: r.value })), baseTimestamp: Date.now() })
      await log.append(batch, { requireDurable: true })
    }))
  }

  async replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void> {
    const topic = this.logs.topic(OFFSETS_TOPIC)
    if (topic === undefined) return
    for (let p = 0; p < topic.partitions.length; p++) {
      const log = this.partition(p)
      let offset = log.logStartOffset
      while (offset < log.highWatermark) {
        const { records } = await log.read(offset, REPLAY_CHUNK, { minOneBatch: true })
        if (records.length === 0) break
        let next = offset
        for (const batch of decodeBatches(records)) {
          for (const r of batch.records) {
            if (r.offset < offset || r.key === null) continue
            onRecord(r.key, r.value)
          }
          next = Math.max(next, batch.baseOffset + batch.lastOffsetDelta + 1)
        }
        if (next <= offset) break
        offset = next
      }
    }
  }

  private partition(p: number): NonNullable<ReturnType<LogManager['partition']>> {
    const log = this.logs.partition(OFFSETS_TOPIC, p)
    if (log === undefined) throw new Error(`${OFFSETS_TOPIC} partition ${p} is missing`)
    return log
  }
}
