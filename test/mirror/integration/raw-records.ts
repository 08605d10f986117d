// Records written and read past kafkajs (which folds headers into an object and cannot write a
// null header value): our own batch through our own Produce request, and the records a broker
// stored, decoded from its segment files with mirror/wire/record-codec.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { logLevel } from 'kafkajs'
import { WireClient } from '../../../mirror/wire/kafka-client'
import { produceRequest, produceResponse } from '../../../mirror/wire/produce-request'
import { LOG_OVERHEAD, readBatchHeader } from '../../../mirror/wire/batch-rewrite'
import { decodeBatchRecords, encodeBatch, type WireRecord } from '../../../mirror/wire/record-codec'

/** Writes `records` to topic-partition 0 as one batch of `codec`, through our own Produce request. */
export async function produceRaw(bootstrap: string[], topic: string, codec: number, records: WireRecord[]): Promise<void> {
  const client = new WireClient({ brokers: bootstrap, clientId: 'exact-headers', logLevel: logLevel.NOTHING, connectionTimeout: 10000 })
  await client.connect()
  try {
    await client.refreshMetadata([topic])
    const batch = await encodeBatch(codec, records)
    const res = await client.send(client.leaderOf(topic, 0)!, produceRequest({ version: 3, acks: -1, timeoutMs: 10000, topics: [{ topic, partitions: [{ partition: 0, batch }] }] }), produceResponse(3), 10000)
    assert.equal(res.topics[0].partitions[0].errorCode, 0)
  } finally { await client.disconnect() }
}

/** Every record the broker stored for topic-partition, decoded from its segment files. */
export async function storedRecords(dataDir: string, topic: string, partition: number): Promise<WireRecord[]> {
  const dir = path.join(dataDir, `${topic}-${partition}`)
  const out: WireRecord[] = []
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const buf = fs.readFileSync(path.join(dir, f))
    for (let at = 0; at + LOG_OVERHEAD <= buf.length;) {
      const end = at + LOG_OVERHEAD + readBatchHeader(buf, at).batchLength
      out.push(...(await decodeBatchRecords(buf.subarray(at, end))).records)
      at = end
    }
  }
  return out
}
