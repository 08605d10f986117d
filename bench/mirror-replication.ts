// MirrorMaker 2 layer: (A) throughput of ONE replication task (startMirror, A->B) beside a plain
// kafkajs consume-then-produce loop doing the same copy between the same two clusters in the same
// run (same records, idempotent acks=all producer, same compression), rounds alternating which goes
// first, medians reported; steady state (start-up excluded from both) and start-up included.
// (B) replication latency p50/p99 at a fixed produce rate, mirror and loop alike. (C) offset
// translation lookups beside a linear scan of the same syncs. Every figure beside its baseline.
// Under the default policy the mirror forwards fetched record batches as bytes (the raw path:
// mirror/connectors/raw-partition-reader.ts, mirror/driver/raw-batch-sender.ts); the loop is the
// same plain kafkajs loop as before, so the ratio stays comparable across data paths.
// Run: npx tsc -p . && node dist/bench/mirror-replication.js
//   (RECORDS=150000 RECORD_BYTES=200 ROUNDS=5 LAT_RATE=5000 LAT_SECONDS=4 by default)
//   POLICY=identity: the mirror runs IdentityReplicationPolicy (every batch re-encoded with its
//   provenance header, mirror/wire/record-codec.ts); the loop stays the same plain copy.
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import * as os from 'node:os'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'
import { startMirror } from '../mirror/driver'
import { OffsetSyncEmitter, OffsetTranslator } from '../mirror/offsets'

const RECORDS = Number(process.env.RECORDS ?? 150_000)
const RECORD_BYTES = Number(process.env.RECORD_BYTES ?? 200)
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const PARTITIONS = 3
const IDENTITY = process.env.POLICY === 'identity'

const client = (c: EmbeddedCluster): Kafka => new Kafka({ brokers: c.bootstrapServers, logLevel: logLevel.NOTHING, clientId: 'bench' })

/** A running copy of one source topic into the target cluster. */
interface Pipeline { target: string; stop(): Promise<void> }
type StartPipeline = (topic: string) => Promise<Pipeline>

async function total(admin: Admin, topic: string): Promise<number> {
  if (!(await admin.listTopics()).includes(topic)) return 0
  return (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0)
}

/** Baseline: what one would write by hand with kafkajs to copy a topic to another cluster. */
function loopPipeline(a: Kafka, b: Kafka, bAdmin: Admin): StartPipeline {
  return async (from) => {
    const to = `copy.${from}`
    await bAdmin.createTopics({ topics: [{ topic: to, numPartitions: PARTITIONS }], waitForLeaders: true })
    const producer = b.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const consumer = a.consumer({ groupId: `bench-copy-${from}`, maxWaitTimeInMs: 100 })
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
    return { target: to, stop: async () => { await consumer.disconnect(); await producer.disconnect() } }
  }
}

function mirrorPipeline(a: EmbeddedCluster, b: EmbeddedCluster): StartPipeline {
  return async (topic) => {
    const mirror = await startMirror({
      'clusters': 'A, B', 'A.bootstrap.servers': a.bootstrapServers.join(','), 'B.bootstrap.servers': b.bootstrapServers.join(','),
      'A->B.enabled': 'true', 'A->B.topics': topic, 'emit.checkpoints.enabled': 'false', 'tasks.max': '1',
      'replication.factor': '1', 'heartbeats.topic.replication.factor': '1', 'checkpoints.topic.replication.factor': '1',
      'offset-syncs.topic.replication.factor': '1', 'offset.storage.replication.factor': '1', 'offset.storage.partitions': '1',
      ...(IDENTITY ? { 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy' } : {}),
    })
    return { target: IDENTITY ? topic : `A.${topic}`, stop: () => mirror.stop() }
  }
}

/** Seconds from the start call; records/s in steady state; process CPU microseconds per record then (brokers included). */
interface Timing { total: number; steady: number; cpuPerRecord: number }

/**
 * Copies RECORDS records; `total` runs from the start call, `steady` is records/s from the first
 * poll that sees records on the target to the last (start-up, group join included, excluded).
 */
async function timeCopy(start: StartPipeline, bAdmin: Admin, topic: string): Promise<Timing> {
  const t0 = performance.now()
  const p = await start(topic)
  let first: { t: number; n: number; cpu: NodeJS.CpuUsage } | undefined
  for (;;) {
    const n = await total(bAdmin, p.target)
    const t = performance.now()
    if (n > 0 && first === undefined) first = { t, n, cpu: process.cpuUsage() }
    if (n >= RECORDS) {
      const f = first!
      const cpu = process.cpuUsage(f.cpu)
      await p.stop()
      const steady = f.n >= RECORDS ? NaN : (RECORDS - f.n) / ((t - f.t) / 1000)
      return { total: (t - t0) / 1000, steady, cpuPerRecord: (cpu.user + cpu.system) / (RECORDS - f.n) }
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Median of the measurable rounds: a round whose first look at the target already found every record has no steady window (NaN). */
const median = (xs: number[]): number => { const s = xs.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y); const m = s.length >> 1; return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

function line(what: string, rps: number, base?: number, extra = ''): void {
  const mbps = (rps * RECORD_BYTES) / 1048576
  const ratio = base === undefined ? '' : `  ratio ${(rps / base).toFixed(2)}`
  console.log(`${what.padEnd(50)} ${rps.toFixed(0).padStart(8)} rec/s ${mbps.toFixed(1).padStart(6)} MB/s${ratio}${extra}`)
}

function latencyLine(what: string, f: LatencyFigure): void {
  console.log(`${what.padEnd(50)} p50 ${f.p50.toFixed(0).padStart(4)} ms  p99 ${f.p99.toFixed(0).padStart(5)} ms  (${f.samples} records, ${f.achievedRate.toFixed(0)} rec/s)`)
}

async function preload(ka: Kafka, topic: string): Promise<void> {
  const producer = ka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const value = Buffer.alloc(RECORD_BYTES, 'x')
  for (let i = 0; i < RECORDS; i += 2000) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(2000, RECORDS - i) }, (_, j) => ({ key: `k${i + j}`, value, partition: (i + j) % PARTITIONS })) })
  }
  await producer.disconnect()
}

interface LatencyFigure { p50: number; p99: number; samples: number; achievedRate: number }

/**
 * Starts the pipeline on an empty topic, waits until a warm-up record has crossed, then produces
 * `rate` records/s to A for `seconds` (timestamped when created) while a consumer on B takes
 * (arrival - timestamp) for each: the producer's and the target consumer's hops count for both.
 */
async function latencyRun(ka: Kafka, kb: Kafka, aAdmin: Admin, bAdmin: Admin, start: StartPipeline, topic: string, o: { rate: number; seconds: number }): Promise<LatencyFigure> {
  await aAdmin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
  const producer = ka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  const p = await start(topic)
  const warm = async (): Promise<void> => { await producer.send({ topic, acks: -1, messages: [{ key: 'warmup', value: 'w', partition: 0 }] }) }
  await warm()
  while ((await total(bAdmin, p.target)) === 0) await new Promise((r) => setTimeout(r, 20))
  const samples: number[] = []
  let seen = 0
  const consumer = kb.consumer({ groupId: `bench-lat-${topic}`, maxWaitTimeInMs: 100 })
  await consumer.connect()
  await consumer.subscribe({ topic: p.target, fromBeginning: true })
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now()
      for (const m of batch.messages) {
        seen++
        if (m.key?.toString() !== 'warmup') samples.push(now - Number(m.timestamp))
      }
    },
  })
  while (seen === 0) await new Promise((r) => setTimeout(r, 20))
  const value = Buffer.alloc(RECORD_BYTES, 'y')
  const tickMs = 10
  const perTick = Math.max(1, Math.round((o.rate * tickMs) / 1000))
  const ticks = Math.round((o.seconds * 1000) / tickMs)
  const sends: Array<Promise<unknown>> = []
  const t0 = performance.now()
  for (let i = 0; i < ticks; i++) {
    // Paced against the clock (not the previous tick), so a slow tick does not lower the rate.
    const wait = t0 + i * tickMs - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const ts = String(Date.now())
    sends.push(producer.send({ topic, acks: -1, messages: Array.from({ length: perTick }, (_, j) => ({ key: `k${i}-${j}`, value, partition: (i * perTick + j) % PARTITIONS, timestamp: ts })) }))
  }
  await Promise.all(sends)
  const achievedRate = (ticks * perTick) / ((performance.now() - t0) / 1000)
  while (samples.length < ticks * perTick) await new Promise((r) => setTimeout(r, 20))
  await consumer.disconnect()
  await p.stop()
  await producer.disconnect()
  const s = samples.sort((x, y) => x - y)
  return { p50: s[Math.floor(s.length * 0.5)], p99: s[Math.floor(s.length * 0.99)], samples: s.length, achievedRate }
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
  // No initial rebalance delay: start-up is reported apart, and this keeps the run short.
  const [a, b] = await Promise.all(dirs.map((dataDir) => startCluster({ dataDir, config: { 'group.initial.rebalance.delay.ms': '0' } })))
  const ka = client(a)
  const kb = client(b)
  const aAdmin = ka.admin()
  const bAdmin = kb.admin()
  await Promise.all([aAdmin.connect(), bAdmin.connect()])
  try {
    const stamp = Date.now()
    const topics = Array.from({ length: ROUNDS }, (_, r) => `bench-${stamp}-${r}`)
    await aAdmin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true })
    for (const t of topics) await preload(ka, t)
    console.log(`${RECORDS} records of ${RECORD_BYTES} bytes, ${PARTITIONS} partitions, cluster A -> cluster B (both in this process), ${ROUNDS} rounds, medians${IDENTITY ? ', mirror under IdentityReplicationPolicy' : ''}`)
    const loop = loopPipeline(ka, kb, bAdmin)
    const mirror = mirrorPipeline(a, b)
    const ours: Timing[] = []
    const base: Timing[] = []
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate who goes first; both copy this round's topic, so both read the same bytes.
      if (r % 2 === 0) { base.push(await timeCopy(loop, bAdmin, topics[r])); ours.push(await timeCopy(mirror, bAdmin, topics[r])) }
      else { ours.push(await timeCopy(mirror, bAdmin, topics[r])); base.push(await timeCopy(loop, bAdmin, topics[r])) }
    }
    const rounds = (ts: Timing[]): string => `  cpu ${median(ts.map((t) => t.cpuPerRecord)).toFixed(1)} us/rec  rounds [${ts.map((t) => (Number.isNaN(t.steady) ? 'too fast to time' : t.steady.toFixed(0))).join(', ')}]`
    const bSteady = median(base.map((t) => t.steady))
    const oSteady = median(ours.map((t) => t.steady))
    line('baseline: kafkajs consume -> produce loop', bSteady, undefined, rounds(base))
    line('godwit mirror A->B, one task (steady state)', oSteady, bSteady, rounds(ours))
    const bTotal = RECORDS / median(base.map((t) => t.total))
    line('baseline loop, start-up included', bTotal)
    line('godwit mirror, start-up included', RECORDS / median(ours.map((t) => t.total)), bTotal)

    const rate = Number(process.env.LAT_RATE ?? 5000)
    const seconds = Number(process.env.LAT_SECONDS ?? 4)
    const lb = await latencyRun(ka, kb, aAdmin, bAdmin, loop, `lat-loop-${stamp}`, { rate, seconds })
    const lo = await latencyRun(ka, kb, aAdmin, bAdmin, mirror, `lat-mirror-${stamp}`, { rate, seconds })
    latencyLine(`baseline loop latency at ${rate} rec/s`, lb)
    latencyLine(`godwit mirror latency at ${rate} rec/s`, lo)
    translationBench()
  } finally {
    await Promise.all([aAdmin.disconnect(), bAdmin.disconnect()])
    await Promise.all([a.stop(), b.stop()])
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exitCode = 1 })
