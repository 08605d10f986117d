// Reads a partition back through the broker's own Fetch (no consumer group needed), decoding
// every batch, so tests can compare what a client sent with what the broker serves.
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode, errorName } from '../../../core/protocol/error-codes'
import { decodeBatches, type DecodedBatch } from '../../../core/protocol/records/record-codec'
import { WireClient } from './wire-client'

export async function fetchBatches(hostPort: string, topic: string, partition = 0, fromOffset = 0): Promise<DecodedBatch[]> {
  const c = await WireClient.connect(hostPort)
  try {
    const out: DecodedBatch[] = []
    let offset = fromOffset
    for (;;) {
      const res = await c.request(ApiKey.Fetch, 4, {
        replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 4 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1, partitionMaxBytes: 4 << 20 }] }],
        forgottenTopicsData: [], rackId: '',
      })
      const p = res.responses[0].partitions[0]
      if (p.errorCode !== ErrorCode.NONE) throw new Error(`fetch ${topic}-${partition}@${offset}: ${errorName(p.errorCode)}`)
      const batches = p.records === null || p.records.length === 0 ? [] : decodeBatches(p.records)
      for (const b of batches) if (b.baseOffset + b.lastOffsetDelta >= offset) out.push(b)
      if (batches.length === 0 || offset >= p.highWatermark) return out
      const last = batches[batches.length - 1]
      offset = last.baseOffset + last.lastOffsetDelta + 1
      if (offset >= p.highWatermark) return out
    }
  } finally {
    c.close()
  }
}

export async function fetchRecords(hostPort: string, topic: string, partition = 0): Promise<DecodedBatch['records']> {
  return (await fetchBatches(hostPort, topic, partition)).flatMap((b) => b.records)
}
