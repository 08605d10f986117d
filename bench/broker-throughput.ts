// Broker throughput with real clients: produce and consume 1 KiB records with kcat (librdkafka)
// and kafkajs against one and three logical brokers. Beside them, measured in the same run: the
// storage engine's own append/read rates (no network, no protocol) and a plain loopback TCP
// transfer of the same bytes, with ratios.
// Run: npx tsc -p . && node dist/bench/broker-throughput.js   (GODWIT_LOG_LEVEL=warn by default)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { LogManager } from '../core/log/log-manager'
import { encodeBatch } from '../core/protocol/records/record-codec'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'

const RECORD = 1024
const KCAT_RECORDS = Number(process.env.KCAT_RECORDS ?? 200_000)
const KAFKAJS_RECORDS = Number(process.env.KAFKAJS_RECORDS ?? 100_000)
const BATCH = 100

interface Figure { what: string; seconds: number; records: number; bytes: number }

const results: Figure[] = []
const mbps = (f: Figure): number => f.bytes / f.seconds / 1048576
const mps = (f: Figure): number => f.records / f.seconds

function record(what: string, seconds: number, records: number): Figure {
  const f = { what, seconds, records, bytes: records * RECORD }
  results.push(f)
  console.log(`${what.padEnd(44)} ${mbps(f).toFixed(1).padStart(8)} MB/s ${mps(f).toFixed(0).padStart(9)} msgs/s  (${records} x 1 KiB in ${seconds.toFixed(2)} s)`)
  return f
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-'))
}

/** Baseline 1: the same bytes through a loopback TCP socket, nothing else. */
async function loopback(bytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 7)
  let received = 0
  const server = net.createServer((s) => s.on('data', (d: Buffer) => { received += d.length; if (received >= bytes) s.end() }))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as net.AddressInfo).port
  const seconds = await timed(() => new Promise<void>((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => {
      let sent = 0
      const pump = (): void => {
        while (sent < bytes) {
          sent += chunk.length
          if (!c.write(chunk)) { c.once('drain', pump); return }
        }
      }
      pump()
    })
    c.on('end', () => { c.destroy(); resolve() })
  }))
  server.close()
  return seconds
}

/** Baseline 2: the storage engine alone, appends of BATCH-record batches (8 in flight), then reads. */
async function storage(records: number): Promise<{ append: number; read: number }> {
  const dir = tempDir()
  const logs = await LogManager.open({ dataDir: dir })
  await logs.createTopic('bench', 1)
  const log = logs.partition('bench', 0)!
  const value = Buffer.alloc(RECORD, 1)
  const batch = encodeBatch({ records: Array.from({ length: BATCH }, () => ({ value })) })
  const append = await timed(async () => {
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < records) {
        next += BATCH
        await log.append(Buffer.from(batch))
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
  })
  const read = await timed(async () => {
    let offset = 0
    while (offset < log.highWatermark) {
      const { records: buf } = await log.read(offset, 1 << 20, { minOneBatch: true })
      let pos = 0
      while (pos + 12 <= buf.length) {
        const len = buf.readInt32BE(pos + 8)
        offset = Number(buf.readBigInt64BE(pos)) + buf.readInt32BE(pos + 23) + 1
        pos += 12 + len
      }
    }
  })
  await logs.close()
  fs.rmSync(dir, { recursive: true, force: true })
  return { append, read }
}

/** Runs kcat; resolves with the number of lines it printed (records consumed). */
function kcat(args: string[], stdinFile?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/kcat', args, { stdio: [stdinFile === undefined ? 'ignore' : fs.openSync(stdinFile, 'r'), 'pipe', 'pipe'] })
    let err = ''
    let lines = 0
    child.stdout!.on('data', (d: Buffer) => { for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++ })
    child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
    child.on('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err}`))))
  })
}

async function kcatRound(cluster: EmbeddedCluster, label: string, partitions: number, file: string): Promise<void> {
  const brokers = cluster.bootstrapServers.join(',')
  const topic = `kcat-${partitions}`
  await cluster.state.logs.createTopic(topic, partitions)
  const produce = await timed(() => kcat(['-b', brokers, '-P', '-t', topic, '-X', 'linger.ms=5', '-X', 'batch.num.messages=1000'], file))
  record(`kcat produce (${label})`, produce, KCAT_RECORDS)
  let lines = 0
  const consume = await timed(async () => { lines = await kcat(['-b', brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']) })
  if (lines !== KCAT_RECORDS) throw new Error(`kcat consumed ${lines} records, expected ${KCAT_RECORDS}`)
  record(`kcat consume (${label})`, consume, KCAT_RECORDS)
}

async function kafkajsRound(cluster: EmbeddedCluster, label: string, partitions: number): Promise<void> {
  const topic = `kafkajs-${partitions}`
  await cluster.state.logs.createTopic(topic, partitions)
  const kafka = new Kafka({ clientId: 'bench', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  const value = Buffer.alloc(RECORD, 2)
  const produce = await timed(async () => {
    let sent = 0
    const worker = async (): Promise<void> => {
      while (sent < KAFKAJS_RECORDS) {
        sent += 1000
        await producer.send({ topic, acks: -1, messages: Array.from({ length: 1000 }, () => ({ value })) })
      }
    }
    await Promise.all(Array.from({ length: 4 }, worker))
  })
  await producer.disconnect()
  record(`kafkajs produce (${label})`, produce, KAFKAJS_RECORDS)
  const consumer = kafka.consumer({ groupId: `bench-${partitions}`, maxBytes: 16 << 20, maxBytesPerPartition: 4 << 20 })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let got = 0
  const consume = await timed(() => new Promise<void>((resolve) => {
    void consumer.run({ eachBatch: async ({ batch }) => { got += batch.messages.length; if (got >= KAFKAJS_RECORDS) resolve() } })
  }))
  await consumer.disconnect()
  record(`kafkajs consume (${label}, incl. group join)`, consume, KAFKAJS_RECORDS)
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})\n`)
  const tcp = record('baseline: loopback TCP, same bytes', await loopback(KCAT_RECORDS * RECORD), KCAT_RECORDS)
  const st = await storage(KCAT_RECORDS)
  const stAppend = record('baseline: storage engine append (fsync)', st.append, KCAT_RECORDS)
  const stRead = record('baseline: storage engine read', st.read, KCAT_RECORDS)

  const file = path.join(tempDir(), 'records.txt')
  const line = 'x'.repeat(RECORD - 1) + '\n'
  fs.writeFileSync(file, line.repeat(KCAT_RECORDS))

  for (const nodes of [1, 3]) {
    const dir = tempDir()
    const cluster = await startCluster({ dataDir: dir, nodes, config: { 'group.initial.rebalance.delay.ms': '0' } })
    const label = nodes === 1 ? '1 broker, 1 partition' : '3 brokers, 3 partitions'
    await kcatRound(cluster, label, nodes, file)
    await kafkajsRound(cluster, label, nodes)
    await cluster.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  fs.rmSync(path.dirname(file), { recursive: true, force: true })

  console.log('\nratios (broker figure / baseline):')
  for (const f of results.filter((x) => !x.what.startsWith('baseline'))) {
    const base = f.what.includes('produce') ? stAppend : stRead
    console.log(`  ${f.what.padEnd(44)} ${(mbps(f) / mbps(base)).toFixed(2)}x storage ${f.what.includes('produce') ? 'append' : 'read'}, ${(mbps(f) / mbps(tcp)).toFixed(3)}x loopback TCP`)
  }
}

main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
