// Mirror raw send path: RawBatchSender producing record batches as bytes (what the raw mirror
// path forwards) beside a kafkajs idempotent producer sending the same records (what the kafkajs
// path does), to the same embedded cluster in the same run, rounds alternating which goes first.
// Both use acks=all and one request in flight per partition; the batches are kafkajs-encoded
// 1,000-record batches, as a kafkajs producer writes them to a source cluster.
// Run: npx tsc -p . && node dist/bench/mirror-raw-send.js   (RECORDS=150000 RECORD_BYTES=200 ROUNDS=5 CODEC=none)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import * as os from 'node:os'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CompressionTypes, Kafka, logLevel, type Message } from 'kafkajs'
import { createLogger } from '../config'
import { registerKafkajsCodecs } from '../connectors/kafka/codecs'
import { startCluster } from '../core/server/embedded-cluster'
import { RawBatchSender } from '../mirror/driver/raw-batch-sender'
import type { RawMirrorBatch } from '../mirror/connectors/mirror-batch'

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
const Long = require('kafkajs/src/utils/long')

const RECORDS = Number(process.env.RECORDS ?? 150_000)
const RECORD_BYTES = Number(process.env.RECORD_BYTES ?? 200)
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const CODEC = (process.env.CODEC ?? 'none') as keyof typeof CODECS
const CODECS = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD }
const PARTITIONS = 3
const PER_BATCH = 1000

function messages(p: number): Message[] {
  const n = Math.ceil(RECORDS / PARTITIONS)
  return Array.from({ length: n }, (_, i) => ({ key: `k${p}-${i}`, value: Buffer.alloc(RECORD_BYTES, 97 + (i % 26)), timestamp: String(1_700_000_000_000 + i) }))
}

async function encode(ms: Message[]): Promise<Buffer> {
  const t0 = Number(ms[0].timestamp)
  const e = await RecordBatch({
    compression: CODECS[CODEC], firstTimestamp: t0, maxTimestamp: Number(ms[ms.length - 1].timestamp), lastOffsetDelta: ms.length - 1,
    records: ms.map((m, i) => Record({ offsetDelta: i, timestampDelta: Number(m.timestamp) - t0, key: m.key, value: m.value, headers: {} })),
  })
  return Buffer.from(e.buffer)
}

async function main(): Promise<void> {
  registerKafkajsCodecs()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-raw-send-'))
  const cluster = await startCluster({ dataDir: dir, nodes: 1, config: {} })
  const kafka = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING, clientId: 'bench' })
  const admin = kafka.admin()
  await admin.connect()
  const perPartition = Array.from({ length: PARTITIONS }, (_, p) => messages(p))
  const chunks = perPartition.map((ms) => Array.from({ length: Math.ceil(ms.length / PER_BATCH) }, (_, i) => ms.slice(i * PER_BATCH, (i + 1) * PER_BATCH)))
  const encoded = await Promise.all(chunks.map((cs) => Promise.all(cs.map(encode))))
  const total = perPartition.reduce((s, ms) => s + ms.length, 0)
  let n = 0
  const topic = async (): Promise<string> => {
    const t = `bench-raw-${process.pid}-${n++}`
    await admin.createTopics({ topics: [{ topic: t, numPartitions: PARTITIONS }], waitForLeaders: true })
    return t
  }

  const raw = async (): Promise<number> => {
    const t = await topic()
    let stopping = false
    const sender = new RawBatchSender({ target: { brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }, isStopping: () => stopping, onAck: () => undefined, log: createLogger('bench') })
    await sender.connect()
    const start = process.hrtime.bigint()
    const batches: RawMirrorBatch[] = encoded.flatMap((bs, p) => bs.map((b, i) => ({
      topic: t, partition: p, batches: [Buffer.from(b)], offsets: chunks[p][i].map((_, j) => i * PER_BATCH + j), bytes: b.length,
      maxTimestamps: [0], sourcePartition: {}, sourceKey: '',
    }) as unknown as RawMirrorBatch))
    sender.enqueue(batches)
    await sender.idle()
    const secs = Number(process.hrtime.bigint() - start) / 1e9
    stopping = true
    await sender.close()
    return total / secs
  }

  const kafkajs = async (): Promise<number> => {
    const t = await topic()
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const start = process.hrtime.bigint()
    // One send per 1,000-record chunk and partition, the partitions side by side: as many requests as the raw side.
    await Promise.all(chunks.map(async (cs, p) => {
      for (const c of cs) await producer.send({ topic: t, acks: -1, compression: CODECS[CODEC], messages: c.map((m) => ({ ...m, partition: p })) })
    }))
    const secs = Number(process.hrtime.bigint() - start) / 1e9
    await producer.disconnect()
    return total / secs
  }

  const rawRates: number[] = []
  const jsRates: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) { rawRates.push(await raw()); jsRates.push(await kafkajs()) } else { jsRates.push(await kafkajs()); rawRates.push(await raw()) }
  }
  const ratios = rawRates.map((x, i) => x / jsRates[i]).sort((a, b) => a - b)
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const k = (x: number): string => `${(x / 1000).toFixed(0)}k rec/s`
  console.log(`mirror raw send, ${total} records of ${RECORD_BYTES} B, codec ${CODEC}, ${PARTITIONS} partitions, ${ROUNDS} rounds`)
  console.log(`  RawBatchSender       median ${k(med(rawRates))} (${rawRates.map(k).join(', ')})`)
  console.log(`  kafkajs producer     median ${k(med(jsRates))} (${jsRates.map(k).join(', ')})`)
  console.log(`  ratio                median ${med(ratios).toFixed(2)}x (min ${ratios[0].toFixed(2)}, max ${ratios[ratios.length - 1].toFixed(2)})`)
  await admin.disconnect()
  await cluster.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch((err) => { console.error(err); process.exit(1) })
