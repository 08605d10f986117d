// MirrorMaker 2 layer: (A) records replicated A->B by startMirror, beside a plain kafkajs
// consume-and-produce loop doing the same copy in the same run (same clusters, same idempotent
// acks=all producer, same record count); (B) offset translation lookups, beside a linear scan of
// the same syncs. Each figure is printed with its baseline and the ratio.
// Run: npx tsc -p . && node dist/bench/mirror-replication.js   (RECORDS=50000 RECORD_BYTES=200 by default)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import * as os from 'node:os'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'
import { startMirror } from '../mirror/driver'
import { OffsetSyncEmitter, OffsetTranslator } from '../mirror/offsets'

const RECORDS = Number(process.env.RECORDS ?? 50_000)
const RECORD_BYTES = Number(process.env.RECORD_BYTES ?? 200)
const PARTITIONS = 3

const client = (c: EmbeddedCluster): Kafka => new Kafka({ brokers: c.bootstrapServers, logLevel: logLevel.NOTHING, clientId: 'bench' })

async function total(admin: Admin, topic: string): Promise<number> {
  if (!(await admin.listTopics()).includes(topic)) return 0
  return (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0)
}

async function waitForRecords(admin: Admin, topic: string, n: number): Promise<void> {
  while ((await total(admin, topic)) < n) await new Promise((r) => setTimeout(r, 20))
}

function line(what: string, seconds: number, base?: number): void {
  const rps = RECORDS / seconds
  const mbps = (RECORDS * RECORD_BYTES) / seconds / 1048576
  const ratio = base === undefined ? '' : `  ratio ${(base / seconds).toFixed(2)}`
  console.log(`${what.padEnd(52)} ${rps.toFixed(0).padStart(8)} rec/s ${mbps.toFixed(1).padStart(6)} MB/s ${seconds.toFixed(2).padStart(6)} s${ratio}`)
}

/** Baseline: what one would write by hand with kafkajs to copy a topic to another cluster. */
async function handCopy(a: Kafka, b: Kafka, bAdmin: Admin, from: string, to: string): Promise<number> {
  await bAdmin.createTopics({ topics: [{ topic: to, numPartitions: PARTITIONS }], waitForLeaders: true })
  const t0 = process.hrtime.bigint()
  const producer = b.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const consumer = a.consumer({ groupId: `bench-copy-${Date.now()}`, maxWaitTimeInMs: 100 })
  await consumer.connect()
  await consumer.subscribe({ topic: from, fromBeginning: true })
  await consumer.run({
    eachBatch: async ({ batch }) => {
      await producer.send({
        topic: to, acks: -1,
        messages: batch.messages.map((m) => ({ partition: batch.partition, key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp })),
      })
    },
  })
  await waitForRecords(bAdmin, to, RECORDS)
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  await consumer.disconnect()
  await producer.disconnect()
  return seconds
}

async function mirrorCopy(a: EmbeddedCluster, b: EmbeddedCluster, bAdmin: Admin, topic: string): Promise<number> {
  const t0 = process.hrtime.bigint()
  const mirror = await startMirror({
    'clusters': 'A, B', 'A.bootstrap.servers': a.bootstrapServers.join(','), 'B.bootstrap.servers': b.bootstrapServers.join(','),
    'A->B.enabled': 'true', 'A->B.topics': topic, 'emit.checkpoints.enabled': 'false',
    'replication.factor': '1', 'heartbeats.topic.replication.factor': '1', 'checkpoints.topic.replication.factor': '1',
    'offset-syncs.topic.replication.factor': '1', 'offset.storage.replication.factor': '1', 'offset.storage.partitions': '1',
  })
  await waitForRecords(bAdmin, `A.${topic}`, RECORDS)
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  await mirror.stop()
  return seconds
}

function translationBench(): void {
  // 2,000 gap-separated ranges of 50 records each, the syncs the emitter produces for them.
  const emitter = new OffsetSyncEmitter(100)
  const translator = new OffsetTranslator()
  const syncs: Array<{ up: number; down: number }> = []
  let up = 0
  let down = 0
  for (let r = 0; r < 2000; r++) {
    for (let i = 0; i < 50; i++) {
      for (const s of emitter.record('t', 0, up, down)) { translator.add(s); syncs.push({ up: s.upstreamOffset, down: s.downstreamOffset }) }
      up++
      down++
    }
    up += 3 // a gap (compaction, transaction markers)
  }
  for (const s of emitter.flushTail()) { translator.add(s); syncs.push({ up: s.upstreamOffset, down: s.downstreamOffset }) }
  const N = 200_000
  const queries = Array.from({ length: N }, (_, i) => (i * 7919) % up)
  let sink = 0
  let t0 = process.hrtime.bigint()
  for (const q of queries) sink += translator.translate('t', 0, q) ?? 0
  const ours = Number(process.hrtime.bigint() - t0) / 1e9
  // Baseline: a linear scan for the last sync at or below the offset (MM2-style approximate answer).
  t0 = process.hrtime.bigint()
  for (const q of queries.slice(0, N / 10)) {
    let best = syncs[0]
    for (const s of syncs) { if (s.up <= q) best = s; else break }
    sink += best.down + (best.up === q ? 0 : 1)
  }
  const base = (Number(process.hrtime.bigint() - t0) / 1e9) * 10
  const ops = (s: number): string => `${(N / s / 1e6).toFixed(2)} M lookups/s`
  console.log(`${'offset translation, exact (ranges, binary search)'.padEnd(52)} ${ops(ours).padStart(18)}  ratio ${(base / ours).toFixed(1)}`)
  console.log(`${'baseline: linear scan of the same syncs'.padEnd(52)} ${ops(base).padStart(18)}  (${syncs.length} syncs for ${up} offsets)`)
  if (sink === -1) console.log('')
}

async function main(): Promise<void> {
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-mirror-')))
  const [a, b] = await Promise.all(dirs.map((dataDir) => startCluster({ dataDir })))
  const ka = client(a)
  const kb = client(b)
  const aAdmin = ka.admin()
  const bAdmin = kb.admin()
  await Promise.all([aAdmin.connect(), bAdmin.connect()])
  try {
    const topic = `bench-${Date.now()}`
    await aAdmin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
    const producer = ka.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const value = Buffer.alloc(RECORD_BYTES, 'x')
    for (let i = 0; i < RECORDS; i += 2000) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(2000, RECORDS - i) }, (_, j) => ({ key: `k${i + j}`, value, partition: (i + j) % PARTITIONS })) })
    }
    await producer.disconnect()
    console.log(`${RECORDS} records of ${RECORD_BYTES} bytes, ${PARTITIONS} partitions, cluster A -> cluster B (both in this process)`)
    const base = await handCopy(ka, kb, bAdmin, topic, `copy.${topic}`)
    line('baseline: kafkajs consume -> produce loop', base)
    const ours = await mirrorCopy(a, b, bAdmin, topic)
    line('godwit mirror A->B (start-up included)', ours, base)
    translationBench()
  } finally {
    await Promise.all([aAdmin.disconnect(), bAdmin.disconnect()])
    await Promise.all([a.stop(), b.stop()])
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1 })
