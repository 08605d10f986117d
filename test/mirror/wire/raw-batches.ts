// Test helpers for the raw batch path: v2 record batches built by kafkajs's own encoder (as a
// kafkajs producer would write them to a source cluster), and the batches a broker stored for a
// partition, read from its log segment files.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { LOG_OVERHEAD, readBatchHeader, type BatchHeader } from '../../../mirror/wire/batch-rewrite'

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
const Long = require('kafkajs/src/utils/long')

export const CODECS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const
export type CodecName = keyof typeof CODECS

export interface TestRecord {
  key: string | null
  value: string | null
  headers?: Record<string, string>
  timestamp: number
}

/** Records with every shape a mirror must keep: null keys and values, headers, distinct timestamps. */
export function sampleRecords(tag: string, n: number, t0 = 1_700_000_000_000): TestRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 5 === 3 ? null : `${tag}-k${i}`,
    value: i % 7 === 4 ? null : `${tag}-value-${i}-${'x'.repeat(i % 40)}`,
    headers: i % 2 === 0 ? { seq: String(i), tag } : undefined,
    timestamp: t0 + i * 3,
  }))
}

/** One complete v2 batch, as kafkajs encodes it (codec, a foreign producer id, optionally transactional). */
export async function encodeBatch(codec: CodecName, records: TestRecord[], opts: { baseOffset?: number; transactional?: boolean } = {}): Promise<Buffer> {
  registerKafkajsCodecs()
  const t0 = records[0].timestamp
  const encoded = await RecordBatch({
    compression: CODECS[codec],
    firstOffset: Long.fromNumber(opts.baseOffset ?? 0),
    firstTimestamp: t0,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    partitionLeaderEpoch: 3,
    lastOffsetDelta: records.length - 1,
    transactional: opts.transactional ?? false,
    producerId: Long.fromNumber(4242),
    producerEpoch: 7,
    firstSequence: 1000,
    records: records.map((r, i) => Record({
      offsetDelta: i, timestampDelta: r.timestamp - t0,
      key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value),
      headers: r.headers ?? {},
    })),
  })
  return Buffer.from(encoded.buffer)
}

/** Headers of every batch the broker stored for topic-partition (all segments, in order). */
export function storedBatches(dataDir: string, topic: string, partition: number): BatchHeader[] {
  const dir = path.join(dataDir, `${topic}-${partition}`)
  const out: BatchHeader[] = []
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const buf = fs.readFileSync(path.join(dir, f))
    for (let at = 0; at + LOG_OVERHEAD <= buf.length;) {
      const h = readBatchHeader(buf, at)
      out.push(h)
      at += LOG_OVERHEAD + h.batchLength
    }
  }
  return out
}

/** What a kafkajs consumer should see for these records (readAll's Seen shape, offsets aside). */
export function expectedSeen(partition: number, records: TestRecord[]): Array<{ partition: number; key: string | null; value: string | null; timestamp: string; headers: Record<string, string> }> {
  return records.map((r) => ({ partition, key: r.key, value: r.value, timestamp: String(r.timestamp), headers: r.headers ?? {} }))
}
