import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import Redis from 'ioredis'
import type { Kafka } from 'kafkajs'
import { groupKeys } from '../../../connectors/distributed/keys'
import { decodeCheckpoint, type Checkpoint } from '../../../mirror/formats/checkpoint'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest } from '../../connectors/connect-helpers'
import { mm2Props, topicReady } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')

interface Proc { child: ChildProcess; stdout: string; stderr: string; exited: Promise<number | null> }

function run(args: string[]): Proc {
  const child = spawn(process.execPath, [godwit, ...args], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
  const p: Proc = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('close', resolve)) }
  child.stdout!.on('data', (d: Buffer) => { p.stdout += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { p.stderr += d.toString() })
  return p
}

function writeProps(file: string, props: Record<string, string>): void {
  fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')
}

/** Record i of the test stream: binary key and value (every byte value), a header naming i. */
function record(i: number): { key: Buffer; value: Buffer; headers: { seq: string } } {
  const value = Buffer.alloc(64 + (i % 200))
  for (let j = 0; j < value.length; j++) value[j] = (i * 31 + j) & 0xff
  return { key: Buffer.from([i & 0xff, (i >> 8) & 0xff, 0, 0xff]), value, headers: { seq: String(i) } }
}

interface Copied { key: Buffer | null; value: Buffer | null; seq: string }

/** Reads a topic's partition 0 from the beginning, collecting into `into`, until stop() is called. */
async function follow(kafka: Kafka, topic: string, into: Copied[]): Promise<() => Promise<void>> {
  const consumer = kafka.consumer({ groupId: uniqueName('check'), maxWaitTimeInMs: 100, allowAutoTopicCreation: false })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message }) => { into.push({ key: message.key, value: message.value, seq: String(message.headers?.seq ?? '') }) } })
  return () => consumer.disconnect()
}

describe('mirror/integration godwit mirror --distributed', function () {
  this.timeout(90000)
  let a: TestCluster
  let b: TestCluster
  let redis: TestRedis
  const procs: Proc[] = []
  const temp = makeTempDir('godwit-mirror-distributed-')

  before(async () => {
    ;[a, b, redis] = await Promise.all([startTestCluster(), startTestCluster(), startRedis()])
  })
  after(async () => {
    for (const p of procs) p.child.kill('SIGKILL')
    await Promise.all(procs.map((p) => p.exited))
    await Promise.all([a?.stop(), b?.stop(), redis?.stop()])
    temp.cleanup()
  })

  it('2 workers replicate every record in order and checkpoint groups; SIGKILL of the source task\'s worker moves the task and loses nothing', async () => {
    const topic = uniqueName('dist')
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
    await admin.disconnect()
    const producer = a.kafka().producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    let sent = 0
    const send = async (n: number): Promise<void> => {
      const messages = Array.from({ length: n }, (_, i) => record(sent + i))
      sent += n
      await producer.send({ topic, messages })
    }
    await send(300)

    const file = path.join(temp.dir, 'mm2.properties')
    const group = uniqueName('mm2')
    writeProps(file, mm2Props(a.bootstrapServers, b.bootstrapServers, {
      'A->B.topics': topic, 'B->A.enabled': 'false', 'sync.topic.configs.enabled': 'false',
      'group.id': group, 'listeners': 'http://127.0.0.1:0',
      'heartbeat.interval.ms': '200', 'session.timeout.ms': '2000', 'offset.flush.interval.ms': '200',
    }))
    // Both workers start at once (both submit the connectors: one create wins, the other finds
    // the same config); the source task's owner is looked up once each runs its share.
    const names = ['A->B.MirrorCheckpointConnector', 'A->B.MirrorHeartbeatConnector', 'A->B.MirrorSourceConnector']
    const status = (url: string, name: string): Promise<any> => rest(url, 'GET', `/connectors/${encodeURIComponent(name)}/status`).then((r) => r.body)
    const owners = async (url: string): Promise<string[]> => {
      const all = await Promise.all(names.map((n) => status(url, n)))
      return all.flatMap((s) => [s?.connector, ...(s?.tasks ?? [])]).filter((x) => x?.state === 'RUNNING').map((x) => String(x.worker_id))
    }
    const workers = [0, 1].map(() => run(['mirror', file, '--distributed', '--redis-url', redis.url]))
    procs.push(...workers)
    const urls = await Promise.all(workers.map((w) => waitFor('worker REST URL on stdout', () => {
      if (w.child.exitCode !== null) throw new Error(`worker exited ${w.child.exitCode}: ${w.stderr}`)
      return /REST API at (\S+)/.exec(w.stdout)?.[1]
    }, { timeoutMs: 20000 })))
    for (const url of urls) await waitFor(`${url} runs its share`, async () => (await owners(url)).includes(new URL(url).host), { timeoutMs: 20000 })
    for (const url of urls) {
      const listed = await rest<string[]>(url, 'GET', '/connectors')
      assert.equal(listed.status, 200)
      assert.deepEqual([...listed.body].sort(), names)
    }
    const source = 'A->B.MirrorSourceConnector'
    const ownerNow = async (url: string): Promise<string | undefined> => {
      const t = (await status(url, source))?.tasks?.[0]
      return t?.state === 'RUNNING' ? String(t.worker_id) : undefined
    }
    await waitFor('source task RUNNING', () => ownerNow(urls[0]!), { timeoutMs: 20000 })

    // Every record so far arrives once, in order, byte for byte.
    const copied: Copied[] = []
    await waitFor(`A.${topic} on B`, () => topicReady(b.kafka(), `A.${topic}`), { timeoutMs: 30000 })
    const stopFollowing = await follow(b.kafka(), `A.${topic}`, copied)
    await waitFor(`300 records on B (have ${copied.length})`, () => copied.length >= 300, { timeoutMs: 30000 })
    assert.equal(copied.length, 300)
    copied.forEach((c, i) => {
      const r = record(i)
      assert.equal(c.seq, String(i))
      assert.ok(c.key!.equals(r.key) && c.value!.equals(r.value), `record ${i} byte for byte`)
    })

    // The checkpoint connector runs too: a group's offset on A is translated exactly for B.
    const groupId = uniqueName('app')
    const aAdmin = a.kafka().admin()
    await aAdmin.connect()
    await aAdmin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '300' }] })
    await aAdmin.disconnect()
    await waitFor('A.checkpoints.internal on B', () => topicReady(b.kafka(), 'A.checkpoints.internal'), { timeoutMs: 20000 })
    const raw: Copied[] = []
    const stopCheckpoints = await follow(b.kafka(), 'A.checkpoints.internal', raw)
    const checkpoint = await waitFor(`a checkpoint of ${groupId}`, () => raw.map((r): Checkpoint => decodeCheckpoint(r.key, r.value)).find((c) => c.consumerGroupId === groupId), { timeoutMs: 20000 })
    await stopCheckpoints()
    assert.deepEqual({ topic: checkpoint.topic, partition: checkpoint.partition, upstreamOffset: checkpoint.upstreamOffset, offset: checkpoint.offset },
      { topic: `A.${topic}`, partition: 0, upstreamOffset: 300, offset: 300 })

    // Mid-stream: keep producing, and kill the source task's worker without a goodbye.
    let resumed = false
    const stream = (async () => {
      while (!resumed || sent < 4000) { await send(50); await new Promise((r) => setTimeout(r, 20)) }
    })()
    await waitFor('replication of the stream under way', () => copied.length >= 800, { timeoutMs: 20000 })
    const owner = (await ownerNow(urls[0]!))!
    const victim = urls.findIndex((u) => new URL(u).host === owner)
    assert.ok(victim >= 0, `task owner ${owner} is one of ${urls.join(', ')}`)
    const survivor = urls[1 - victim]!
    const survivorId = new URL(survivor).host
    workers[victim]!.child.kill('SIGKILL')
    const killedAt = Date.now()
    await workers[victim]!.exited
    const before = copied.length
    await waitFor('source task RUNNING on the survivor', async () => (await ownerNow(survivor)) === survivorId, { timeoutMs: 20000 })
    const takeoverMs = Date.now() - killedAt
    await waitFor('replication resumed on the survivor', () => copied.length > before, { timeoutMs: 20000 })
    const resumedMs = Date.now() - killedAt
    resumed = true
    await stream
    await producer.disconnect()

    const distinct = (): number => new Set(copied.map((c) => c.seq)).size
    await waitFor(`all ${sent} records on B (have ${distinct()} distinct)`, () => distinct() >= sent, { timeoutMs: 30000 })
    await stopFollowing()
    const seen = new Map<string, Copied>()
    for (const c of copied) if (!seen.has(c.seq)) seen.set(c.seq, c)
    const missing = Array.from({ length: sent }, (_, i) => String(i)).filter((s) => !seen.has(s))
    const duplicates = copied.length - seen.size
    process.stdout.write(`      ${sent} records on A, ${copied.length} on B: ${duplicates} duplicates, ${missing.length} lost; ` +
      `source task running on the survivor ${takeoverMs} ms after SIGKILL, records flowing again after ${resumedMs} ms (session.timeout.ms 2000)\n`)
    assert.deepEqual(missing, [])
    // The new owner starts past the records the dead one had copied after its last commit (exact-resume.ts).
    assert.equal(duplicates, 0, 'duplicates')
    assert.ok(takeoverMs < 10000, `takeover within 10 s (took ${takeoverMs} ms)`)
    // Every record in source order and byte-identical.
    const firsts = [...seen.values()]
    firsts.forEach((c, i) => {
      const r = record(i)
      assert.equal(c.seq, String(i), 'in order')
      assert.ok(c.key!.equals(r.key) && c.value!.equals(r.value), `record ${i} byte for byte`)
    })
    assert.deepEqual([...(await rest<string[]>(survivor, 'GET', '/connectors')).body].sort(), names)

    // The survivor's /metrics carries MM2's replication metrics for the records it copied.
    const text = await (await fetch(`${survivor}/metrics`)).text()
    const count = new RegExp(`^mm2_record_count\\{source="A",target="B",topic="${topic}",partition="0"\\} (\\d+)$`, 'm').exec(text)
    assert.ok(count !== null && Number(count[1]) > 0, 'mm2_record_count on the survivor')
    assert.match(text, /^mm2_replication_latency_ms_count\{source="A",target="B",topic="/m)
    assert.match(text, /^mm2_record_age_ms_count\{source="A",target="B",topic="/m)
    // Everything copied: the survivor's source partition has nothing left to replicate.
    assert.match(text, new RegExp(`^mm2_replication_lag_records\\{source="A",target="B",topic="${topic}",partition="0"\\} 0$`, 'm'))
    assert.match(text, /^mm2_record_rate\{source="A",target="B",topic="/m)
    // The raw path ran: the source task wrote its batches itself, not through the worker's producer.
    assert.match(text, /^connect_source_task_writes_itself\{connector="A->B\.MirrorSourceConnector",task="0"\} 1$/m)

    // The killed worker comes back with the same file: it rejoins and takes a share, and its
    // submission of the unchanged connector configs changes nothing (each is still version 1).
    const back = run(['mirror', file, '--distributed', '--redis-url', redis.url])
    procs.push(back)
    const backUrl = await waitFor('restarted worker REST URL', () => /REST API at (\S+)/.exec(back.stdout)?.[1], { timeoutMs: 20000 })
    await waitFor('restarted worker runs its share', async () => (await owners(backUrl)).includes(new URL(backUrl).host), { timeoutMs: 20000 })
    const client = new Redis(redis.url)
    try {
      const stored = await client.hgetall(groupKeys('godwit', group).connectors)
      assert.deepEqual(Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, (JSON.parse(v) as { version: number }).version])),
        Object.fromEntries(names.map((n) => [n, 1])))
    } finally { client.disconnect() }
    back.child.kill('SIGTERM')
    assert.equal(await back.exited, 0, back.stderr)

    // SIGTERM stops the survivor cleanly.
    const last = workers[1 - victim]!
    last.child.kill('SIGTERM')
    assert.equal(await last.exited, 0, last.stderr)
    assert.match(last.stdout, /godwit mirror: stopped/)
  })
})

describe('mirror/integration godwit mirror --distributed (bad input)', function () {
  const temp = makeTempDir('godwit-mirror-distributed-bad-')
  after(() => temp.cleanup())

  it('without a Redis URL exits 1 with an error naming redis.url and --redis-url', async () => {
    const file = path.join(temp.dir, 'mm2.properties')
    writeProps(file, { 'clusters': 'A, B', 'A.bootstrap.servers': '127.0.0.1:1', 'B.bootstrap.servers': '127.0.0.1:2', 'A->B.enabled': 'true' })
    const p = run(['mirror', file, '--distributed'])
    assert.equal(await p.exited, 1)
    assert.match(p.stderr, /^godwit: --distributed needs Redis: set redis\.url in the mm2\.properties file .* or pass --redis-url URL$/m)
  })
})
