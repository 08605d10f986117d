// Connector runtime throughput: (A) a file copied to a topic by FileStreamSource and (B) a topic
// copied to another cluster by KafkaSink, each beside the same work done by a plain kafkajs loop
// in the same run (same batch sizes, same idempotent acks=all producer), with the ratio.
// Run: npx tsc -p . && node dist/bench/connect-throughput.js   (LINES=200000 LINE_BYTES=100 by default)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { builtinPlugins } from '../connectors/builtin'
import { StandaloneHerder } from '../connectors/runtime/standalone-herder'
import { Worker } from '../connectors/runtime/worker'
import { parseWorkerConfig } from '../connectors/runtime/worker-config'
import { fileOffsetStore } from '../connectors/storage'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'

const LINES = Number(process.env.LINES ?? 200_000)
const LINE_BYTES = Number(process.env.LINE_BYTES ?? 100)
const BATCH = 2000
const ROUNDS = Number(process.env.ROUNDS ?? 2)

interface Figure { what: string; seconds: number }
const mbps = (s: number): number => (LINES * (LINE_BYTES + 1)) / s / 1048576
const rps = (s: number): number => LINES / s

function print(what: string, seconds: number, base?: number): void {
  const ratio = base === undefined ? '' : `  ratio ${(base / seconds).toFixed(2)}`
  console.log(`${what.padEnd(46)} ${rps(seconds).toFixed(0).padStart(8)} rec/s ${mbps(seconds).toFixed(1).padStart(7)} MB/s  ${seconds.toFixed(2)} s${ratio}`)
}

/** Waits on the worker's own counters (in-process, no broker round trips that would slow the run). */
async function waitForCounter(counter: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown> }> }> }, connector: string, n: number): Promise<void> {
  for (;;) {
    const { values } = await counter.get()
    if (values.filter((v) => v.labels.connector === connector).reduce((s, v) => s + v.value, 0) >= n) return
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function createTopic(admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-connect-'))
  const clusters: EmbeddedCluster[] = []
  try {
    const source = await startCluster({ dataDir: path.join(dir, 'source'), config: { 'group.initial.rebalance.delay.ms': '0' } })
    const target = await startCluster({ dataDir: path.join(dir, 'target'), config: { 'group.initial.rebalance.delay.ms': '0' } })
    clusters.push(source, target)
    const kafka = (c: EmbeddedCluster): Kafka => new Kafka({ clientId: 'bench', brokers: c.bootstrapServers, logLevel: logLevel.NOTHING })
    const srcAdmin = kafka(source).admin()
    const tgtAdmin = kafka(target).admin()
    await srcAdmin.connect()
    await tgtAdmin.connect()

    const line = (i: number): string => `${String(i).padStart(10, '0')} ${'x'.repeat(LINE_BYTES - 11)}`
    const input = path.join(dir, 'input.txt')
    fs.writeFileSync(input, Array.from({ length: LINES }, (_, i) => line(i)).join('\n') + '\n')
    console.log(`${LINES} lines of ${LINE_BYTES} bytes, batches of ${BATCH}, idempotent producer, acks=all, 1 partition`)

    const { config } = parseWorkerConfig({ 'bootstrap.servers': source.bootstrapServers.join(','), 'offset.flush.interval.ms': '10000' })
    const worker = new Worker({ workerId: 'bench:0', config, plugins: builtinPlugins(), offsetStore: fileOffsetStore(path.join(dir, 'offsets')) })
    const herder = new StandaloneHerder({ worker })
    await herder.start()

    // A, baseline: read the file, send batches of lines, await each send.
    const plainFileToTopic = async (topic: string): Promise<number> => {
      await createTopic(srcAdmin, topic)
      // Both sides are timed from before their clients connect (the runtime's start-up is included).
      const t = process.hrtime.bigint()
      const producer = kafka(source).producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      const text = fs.readFileSync(input)
      let start = 0
      let batch: Array<{ key: null; value: Buffer }> = []
      for (let nl = text.indexOf(10); nl >= 0; nl = text.indexOf(10, start)) {
        batch.push({ key: null, value: text.subarray(start, nl) })
        start = nl + 1
        if (batch.length === BATCH) { await producer.send({ topic, acks: -1, messages: batch }); batch = [] }
      }
      if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch })
      const s = Number(process.hrtime.bigint() - t) / 1e9
      await producer.disconnect()
      return s
    }

    // A, runtime: FileStreamSource through the worker.
    const connectFileToTopic = async (topic: string): Promise<number> => {
      await createTopic(srcAdmin, topic)
      const t = process.hrtime.bigint()
      await herder.putConnectorConfig(`source-${topic}`, { 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': String(BATCH) }, { allowReplace: false })
      // Counted once the broker acknowledged the records.
      await waitForCounter(worker.metrics.sourceRecordsWritten, `source-${topic}`, LINES)
      const s = Number(process.hrtime.bigint() - t) / 1e9
      await herder.deleteConnector(`source-${topic}`)
      return s
    }

    // B, baseline: consume a topic and send each batch to the target cluster.
    const plainTopicToCluster = async (from: string, to: string): Promise<number> => {
      await createTopic(tgtAdmin, to)
      const t = process.hrtime.bigint()
      const consumer = kafka(source).consumer({ groupId: `plain-${to}`, maxWaitTimeInMs: 100 })
      const tgtProducer = kafka(target).producer({ idempotent: true, maxInFlightRequests: 1 })
      await Promise.all([consumer.connect(), tgtProducer.connect()])
      await consumer.subscribe({ topic: from, fromBeginning: true })
      let copied = 0
      await new Promise<void>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch: b }) => {
            await tgtProducer.send({ topic: to, acks: -1, messages: b.messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, partition: b.partition })) })
            copied += b.messages.length
            if (copied >= LINES) resolve()
          },
        })
      })
      const s = Number(process.hrtime.bigint() - t) / 1e9
      await Promise.all([consumer.disconnect(), tgtProducer.disconnect()])
      return s
    }

    // B, runtime: KafkaSink through the worker.
    const connectTopicToCluster = async (from: string, to: string): Promise<number> => {
      await createTopic(tgtAdmin, to)
      const t = process.hrtime.bigint()
      await herder.putConnectorConfig(`sink-${to}`, {
        'connector.class': 'KafkaSink', topics: from, 'target.bootstrap.servers': target.bootstrapServers.join(','), 'target.topic.format': to,
      }, { allowReplace: false })
      // Counted once put() returned, i.e. the target cluster acknowledged the records.
      await waitForCounter(worker.metrics.sinkRecordsSent, `sink-${to}`, LINES)
      const s = Number(process.hrtime.bigint() - t) / 1e9
      await herder.deleteConnector(`sink-${to}`)
      return s
    }

    // Two rounds in alternating order; the best of each is reported (the machine is shared).
    const best = { plainA: Infinity, connectA: Infinity, plainB: Infinity, connectB: Infinity }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['plain', 'connect'] : ['connect', 'plain']
      for (const who of order) {
        if (who === 'plain') best.plainA = Math.min(best.plainA, await plainFileToTopic(`plain-lines-${round}`))
        else best.connectA = Math.min(best.connectA, await connectFileToTopic(`connect-lines-${round}`))
      }
      for (const who of order) {
        if (who === 'plain') best.plainB = Math.min(best.plainB, await plainTopicToCluster(`plain-lines-${round}`, `plain-copy-${round}`))
        else best.connectB = Math.min(best.connectB, await connectTopicToCluster(`connect-lines-${round}`, `connect-copy-${round}`))
      }
    }
    const { plainA, connectA, plainB, connectB } = best
    print('A baseline: plain kafkajs file -> topic', plainA)
    print('A runtime: FileStreamSource file -> topic', connectA, plainA)
    print('B baseline: plain kafkajs topic -> cluster', plainB)
    print('B runtime: KafkaSink topic -> cluster', connectB, plainB)
    await herder.stop()
    await srcAdmin.disconnect()
    await tgtAdmin.disconnect()
  } finally {
    for (const c of clusters) await c.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1 })
