// What TLS and SASL cost the broker: kcat (librdkafka, its own process) produces and consumes the
// same 1 KiB records through PLAINTEXT, SSL and SASL_SSL (SCRAM-SHA-512) listeners of one broker,
// and kafkajs opens connections through each (handshake and authentication included). PLAINTEXT,
// measured in the same run, is the baseline of every ratio. Rounds alternate the listeners and each
// figure is the best of ROUNDS, so a busy machine skews every listener alike.
// Run: npx tsc -p . && node dist/bench/broker-security.js   (RECORDS, default 100000; ROUNDS, default 3)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs'
import { startCluster } from '../core/server/embedded-cluster'

const RECORD = 1024
const RECORDS = Number(process.env.RECORDS ?? 100_000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const CONNECTIONS = 50
const fixture = (name: string): string => path.resolve(__dirname, '../../test/fixtures/tls', name)
const JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required user_bench="bench-secret";'

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}

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

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-security-'))
  const file = path.join(dir, 'records.txt')
  const line = 'x'.repeat(RECORD - 1) + '\n'
  fs.writeFileSync(file, line.repeat(RECORDS))
  const cluster = await startCluster({ dataDir: path.join(dir, 'data'), config: {
    'listeners': 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
    'ssl.keystore.type': 'PEM', 'ssl.keystore.location': fixture('server-keystore.pem'),
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512', 'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': JAAS,
  } })
  const ca = fs.readFileSync(fixture('ca.pem'), 'utf8')
  const kcatSecurity: Record<string, string[]> = {
    PLAINTEXT: [],
    SSL: ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${fixture('ca.pem')}`],
    SASL_SSL: ['-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${fixture('ca.pem')}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=bench', '-X', 'sasl.password=bench-secret'],
  }
  const kafkajsSecurity: Record<string, Partial<KafkaConfig>> = {
    PLAINTEXT: {},
    SSL: { ssl: { ca: [ca] } },
    SASL_SSL: { ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-512', username: 'bench', password: 'bench-secret' } },
  }
  const rows = new Map<string, { listener: string; produce: number; consume: number; connect: number }>()
  try {
    for (let round = 0; round < ROUNDS; round++) for (const l of cluster.listeners) {
      const brokers = l.bootstrapServers.join(',')
      const topic = `bench-${l.name.toLowerCase()}-${round}`
      await cluster.state.logs.createTopic(topic, 1)
      const produce = await timed(() => kcat(['-b', brokers, ...kcatSecurity[l.name], '-P', '-t', topic, '-X', 'linger.ms=5', '-X', 'batch.num.messages=1000'], file))
      let got = 0
      const consume = await timed(async () => { got = await kcat(['-b', brokers, ...kcatSecurity[l.name], '-C', '-t', topic, '-o', 'beginning', '-e', '-q']) })
      if (got !== RECORDS) throw new Error(`${l.name}: consumed ${got} of ${RECORDS}`)
      // Connection set-up: TCP, TLS handshake, ApiVersions, SASL exchange, then one Metadata.
      const kafka = new Kafka({ brokers: l.bootstrapServers, logLevel: logLevel.NOTHING, ...kafkajsSecurity[l.name] })
      const connect = await timed(async () => {
        for (let i = 0; i < CONNECTIONS; i++) {
          const admin = kafka.admin()
          await admin.connect()
          await admin.disconnect()
        }
      })
      const best = rows.get(l.name)
      rows.set(l.name, best === undefined ? { listener: l.name, produce, consume, connect: connect / CONNECTIONS }
        : { listener: l.name, produce: Math.min(best.produce, produce), consume: Math.min(best.consume, consume), connect: Math.min(best.connect, connect / CONNECTIONS) })
    }
  } finally {
    await cluster.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const base = rows.get('PLAINTEXT')!
  const mb = (s: number): number => (RECORDS * RECORD) / s / 1048576
  console.log(`${RECORDS} x 1 KiB records, kcat produce then consume; kafkajs admin connect+disconnect x ${CONNECTIONS}; best of ${ROUNDS} rounds; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`)
  console.log('listener     produce MB/s (ratio)    consume MB/s (ratio)    connect ms (ratio)')
  for (const r of rows.values()) {
    console.log(`${r.listener.padEnd(12)} ${mb(r.produce).toFixed(1).padStart(8)} (${(base.produce / r.produce).toFixed(2)})` +
      `        ${mb(r.consume).toFixed(1).padStart(8)} (${(base.consume / r.consume).toFixed(2)})` +
      `        ${(r.connect * 1000).toFixed(1).padStart(7)} (${(r.connect / base.connect).toFixed(2)}x)`)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
