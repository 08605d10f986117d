// MirrorMaker 2 layer, exact resume: what a restart costs when K records reached the target after
// the last source-offset commit. Figure: resumeOffsets (mirror/connectors/exact-resume.ts) reading
// and comparing the K source records and their K copies on the target, record by record. Baseline,
// same run: what at-least-once does instead, re-sending the K records to the target (idempotent
// acks=all producer, chunks of 1,000 per partition, as the mirror's former kafkajs path sent them).
// Run: npx tsc -p . && node dist/bench/mirror-exact-resume.js   (RECORDS=150000 RECORD_BYTES=200)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Kafka, logLevel, type Message } from 'kafkajs'
import { createLogger } from '../config'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'
import { resumeOffsets } from '../mirror/connectors/exact-resume'
import { kafkaResumeIo } from '../mirror/connectors/exact-resume-io'

const RECORDS = Number(process.env.RECORDS ?? 150_000)
const RECORD_BYTES = Number(process.env.RECORD_BYTES ?? 200)
const PARTITIONS = 3
const CHUNK = 1000

const client = (c: EmbeddedCluster): Kafka => new Kafka({ brokers: c.bootstrapServers, logLevel: logLevel.NOTHING, clientId: 'bench' })

function messages(p: number, from: number, n: number): Message[] {
  return Array.from({ length: n }, (_, i) => {
    const value = Buffer.alloc(RECORD_BYTES, (from + i) % 251)
    return { partition: p, key: Buffer.from(`k${from + i}`), value, headers: { seq: String(from + i) }, timestamp: String(1_700_000_000_000 + from + i) }
  })
}

/** Writes RECORDS records (RECORDS / PARTITIONS per partition) to `topic`, one request in flight per partition. */
async function write(kafka: Kafka, topic: string): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const per = Math.floor(RECORDS / PARTITIONS)
  const started = process.hrtime.bigint()
  for (let from = 0; from < per; from += CHUNK) {
    const n = Math.min(CHUNK, per - from)
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: Array.from({ length: PARTITIONS }, (_, p) => messages(p, from, n)).flat() }] })
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  await producer.disconnect()
  return ms
}

async function main(): Promise<void> {
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-resume-')))
  const [a, b] = await Promise.all(dirs.map((dataDir) => startCluster({ dataDir, nodes: 1, config: { 'group.initial.rebalance.delay.ms': '0' } })))
  try {
    const [ka, kb] = [client(a), client(b)]
    for (const [k, topics] of [[ka, ['t']], [kb, ['A.t', 'resend']]] as const) {
      const admin = k.admin()
      await admin.connect()
      await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true })
      await admin.disconnect()
    }
    // The source topic and its copy: the same records on both sides (what the mirror had written).
    await write(ka, 't')
    await write(kb, 'A.t')
    const per = Math.floor(RECORDS / PARTITIONS)
    // Committed: the first record of each partition; everything after it is on the target.
    const started = process.hrtime.bigint()
    const resumes = await resumeOffsets({
      io: kafkaResumeIo(ka, kb, '__godwit-bench-resume'),
      context: { source: 'A', target: 'B', remoteTopic: (t) => `A.${t}`, compression: {}, identity: false },
      partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 't', partition, remoteTopic: 'A.t', committed: { offset: 0, downstream: 0 } })),
      log: createLogger('bench'),
    })
    const verifyMs = Number(process.hrtime.bigint() - started) / 1e6
    const skipped = [...resumes.values()].reduce((n, r) => n + r.skipped.length, 0)
    if (skipped !== PARTITIONS * (per - 1)) throw new Error(`expected ${PARTITIONS * (per - 1)} records skipped, got ${skipped}`)
    const resendMs = await write(kb, 'resend')
    const rate = (ms: number): string => `${Math.round((skipped / ms) * 1000).toLocaleString('en-US')} rec/s`
    console.log(`exact resume, ${skipped.toLocaleString('en-US')} records of ${RECORD_BYTES} B on the target after the commit:`)
    console.log(`  verify and skip (resumeOffsets): ${verifyMs.toFixed(0)} ms, ${rate(verifyMs)}`)
    console.log(`  baseline, re-send them (at-least-once): ${resendMs.toFixed(0)} ms, ${rate(resendMs)}`)
    console.log(`  ratio (re-send time / verify time): ${(resendMs / verifyMs).toFixed(2)}`)
  } finally {
    await Promise.all([a.stop(), b.stop()])
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
