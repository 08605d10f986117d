import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as path from 'node:path'
import type { Kafka } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { MirrorClient, commitGroupOffsets } from '../../../mirror/client'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { mm2Props, readAll, topicExists } from './mirror-helpers'

interface Consumed { partition: number; offset: number; value: string }

/**
 * Consumes `topic` in group `groupId` until `stop(seen)` says so, then commits exactly what was
 * processed. `take(partition, seen)` may refuse records of a partition (it stops there).
 */
async function consumeInGroup(kafka: Kafka, groupId: string, topic: string, stop: (seen: Consumed[]) => boolean, take: (partition: number, seen: Consumed[]) => boolean = () => true): Promise<Consumed[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false })
  const seen: Consumed[] = []
  const next = new Map<number, number>()
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    let done = false
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (done || stop(seen)) { done = true; return }
          if (!take(batch.partition, seen)) return
          seen.push({ partition: batch.partition, offset: Number(m.offset), value: m.value!.toString() })
          next.set(batch.partition, Number(m.offset) + 1)
        }
      },
    })
    await waitFor(`group ${groupId} to finish on ${topic}`, () => done || stop(seen), { timeoutMs: 20000 })
    await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })))
  } finally {
    await consumer.disconnect()
  }
  return seen
}

/** Runs a compiled script without blocking this process (the brokers live in it). */
function run(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    // A child that hangs fails the test with what it printed, rather than hanging the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000)
    child.on('error', reject)
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }) })
  })
}

/** Consumes from the group's committed position to the end of every partition. */
async function consumeToEnd(kafka: Kafka, groupId: string, topic: string): Promise<Consumed[]> {
  const admin = kafka.admin()
  await admin.connect()
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]))
  const start = new Map((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.map((p) => [p.partition, Number(p.offset)]))
  await admin.disconnect()
  const behind = (seen: Consumed[]): boolean => [...ends].some(([p, end]) => {
    const last = seen.filter((r) => r.partition === p).pop()
    return (last === undefined ? (start.get(p) ?? 0) : last.offset + 1) < end
  })
  return consumeInGroup(kafka, groupId, topic, (seen) => !behind(seen))
}

describe('mirror/integration consumer group failover and restarts', function () {
  this.timeout(120000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  afterEach(async () => { await mirror?.stop(); mirror = undefined })
  after(async () => { await Promise.all([a?.stop(), b?.stop()]) })

  async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
    const admin = kafka.admin()
    await admin.connect()
    try { await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }) } finally { await admin.disconnect() }
  }

  async function send(kafka: Kafka, topic: string, values: Array<{ partition: number; value: string }>): Promise<void> {
    const p = kafka.producer()
    await p.connect()
    try {
      // Several requests, so batches and offsets are not one neat block.
      const step = values.length > 1000 ? 250 : 17
      for (let i = 0; i < values.length; i += step) await p.send({ topic, messages: values.slice(i, i + step) })
    } finally { await p.disconnect() }
  }

  it('a group consumes half on A, fails over to B and resumes exactly: no re-reads, no skips', async () => {
    const topic = uniqueName('fo')
    const group = uniqueName('billing')
    await createTopic(a.kafka(), topic, 2)
    // The remote topic already holds other records, so downstream offsets differ from upstream ones.
    await createTopic(b.kafka(), `A.${topic}`, 2)
    await send(b.kafka(), `A.${topic}`, Array.from({ length: 7 }, (_, i) => ({ partition: i % 2, value: `foreign${i}` })))
    const all = Array.from({ length: 240 }, (_, i) => ({ partition: i % 3 === 0 ? 0 : 1, value: `r${i}` }))
    await send(a.kafka(), topic, all)

    // Half of each partition (partition 0 holds 80 records, partition 1 160).
    const quota = new Map([[0, 37], [1, 83]])
    const count = (seen: Consumed[], p: number): number => seen.filter((r) => r.partition === p).length
    const onA = await consumeInGroup(a.kafka(), group, topic,
      (seen) => [...quota].every(([p, q]) => count(seen, p) >= q),
      (p, seen) => count(seen, p) < quota.get(p)!)
    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, {
      'A->B.topics': topic, 'sync.group.offsets.enabled': 'true', 'sync.group.offsets.interval.seconds': '1',
    }))
    await readAll(b.kafka(), `A.${topic}`, 247)

    // Checkpoints on B, read the way MM2's RemoteClusterUtils reads them.
    const client = new MirrorClient(b.kafka())
    const committed = new Map<number, number>()
    for (const c of onA) committed.set(c.partition, c.offset + 1)
    const checkpoints = await waitFor('checkpoints for both partitions', async () => {
      const cps = await client.remoteConsumerOffsets(group, 'A')
      return cps.length === committed.size && cps.every((c) => c.topic === `A.${topic}`) ? cps : undefined
    })
    assert.ok((await client.checkpointTopics()).includes('A.checkpoints.internal'))
    // Each acknowledged checkpoint is timed, by group and remote partition.
    const metrics = await mirror.metrics.registry.metrics()
    for (const p of [0, 1]) {
      assert.match(metrics, new RegExp(`mm2_checkpoint_latency_ms_count\\{source="A",target="B",group="${group}",topic="A.${topic}",partition="${p}"\\} [1-9]`))
    }
    assert.ok((await client.remoteTopics('A')).includes(`A.${topic}`))
    assert.deepEqual((await client.remoteTopics()).filter((t) => t.endsWith('internal')), [])
    // The same answer from `godwit translate-offsets`.
    const cli = await run(path.join(__dirname, '../../../bin/godwit.js'), ['translate-offsets', '--group', group, '--source', 'A', '--target', 'B', '--bootstrap-server', b.brokers, '--json'])
    assert.equal(cli.status, 0, cli.stderr)
    assert.deepEqual(JSON.parse(cli.stdout), checkpoints)

    // sync.group.offsets wrote them into the idle group on B; resume there.
    const admin = b.kafka().admin()
    await admin.connect()
    await waitFor('group offsets synced on B', async () => {
      const fetched = await admin.fetchOffsets({ groupId: group, topics: [`A.${topic}`] })
      const got = fetched[0].partitions.filter((p) => Number(p.offset) >= 0)
      return got.length === checkpoints.length && got.every((p) => Number(p.offset) === checkpoints.find((c) => c.partition === p.partition)!.offset)
    })
    await admin.disconnect()
    const onB = await consumeToEnd(b.kafka(), group, `A.${topic}`)
    const valuesA = new Set(onA.map((r) => r.value))
    const valuesB = onB.map((r) => r.value)
    const reReads = valuesB.filter((v) => valuesA.has(v)).length
    const seenAnywhere = new Set([...valuesA, ...valuesB])
    const skips = all.filter((r) => !seenAnywhere.has(r.value)).length
    assert.equal(reReads, 0, 're-read records')
    assert.equal(skips, 0, 'skipped records')
    assert.equal(valuesB.filter((v) => v.startsWith('foreign')).length, 0)
    assert.equal(onA.length + onB.length, all.length)
    // Translation is exact, not merely safe: the 7 foreign records shift offsets by 4 and 3.
    assert.deepEqual(checkpoints.map((c) => [c.partition, c.offset]), [[0, 37 + 4], [1, 83 + 3]])
  })

  it('a mirror stopped mid-stream and restarted loses nothing (and, stopped gracefully, duplicates nothing)', async () => {
    const topic = uniqueName('restart')
    await createTopic(a.kafka(), topic, 3)
    const props = mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': topic })
    const values = (from: number, n: number): Array<{ partition: number; value: string }> =>
      Array.from({ length: n }, (_, i) => ({ partition: (from + i) % 3, value: `v${from + i}` }))
    await send(a.kafka(), topic, values(0, 3000))
    mirror = await startMirror(props)
    // Producing continues while the mirror is stopped part-way through.
    const producing = send(a.kafka(), topic, values(3000, 1000))
    await readAll(b.kafka(), `A.${topic}`, 1500)
    await mirror.stop()
    mirror = undefined
    await producing
    await send(a.kafka(), topic, values(4000, 1000))
    mirror = await startMirror(props)
    const got = await readAll(b.kafka(), `A.${topic}`, 5000)
    const counts = new Map<string, number>()
    for (const r of got) counts.set(r.value!, (counts.get(r.value!) ?? 0) + 1)
    const missing = values(0, 5000).filter((v) => !counts.has(v.value))
    assert.deepEqual(missing, [])
    assert.deepEqual([...counts].filter(([, n]) => n > 1), [])
    // Order within each partition is the source's order.
    for (const p of [0, 1, 2]) {
      const seq = got.filter((r) => r.partition === p).map((r) => Number(r.value!.slice(1)))
      assert.deepEqual(seq, [...seq].sort((x, y) => x - y))
    }
  })

  it('sync.group.offsets never moves a target group backwards and leaves it alone while a member is active there', async () => {
    const topic = uniqueName('gsync')
    const g = `${uniqueName('ga')}`
    const g2 = `${uniqueName('gb')}` // sorts after g: once g2 is synced, g was visited in the same pass
    await createTopic(a.kafka(), topic, 2)
    await send(a.kafka(), topic, Array.from({ length: 100 }, (_, i) => ({ partition: i % 2, value: `s${i}` })))
    const aAdmin = a.kafka().admin()
    const bAdmin = b.kafka().admin()
    await Promise.all([aAdmin.connect(), bAdmin.connect()])
    const commitOn = (admin: typeof aAdmin, group: string, t: string, offsets: number[]): Promise<void> =>
      commitGroupOffsets(admin === aAdmin ? a.kafka() : b.kafka(), group, offsets.map((offset, partition) => ({ topic: t, partition, offset })))
    const offsetsOn = async (admin: typeof aAdmin, group: string, t: string): Promise<number[]> =>
      (await admin.fetchOffsets({ groupId: group, topics: [t] }))[0].partitions.sort((x, y) => x.partition - y.partition).map((p) => Number(p.offset))
    try {
      await commitOn(aAdmin, g, topic, [10, 10])
      await commitOn(aAdmin, g2, topic, [5, 5])
      mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, {
        'A->B.topics': topic, 'sync.group.offsets.enabled': 'true', 'sync.group.offsets.interval.seconds': '1',
      }))
      const remote = `A.${topic}`
      await waitFor('g synced to B', async () => (await offsetsOn(bAdmin, g, remote)).join() === '10,10')
      // Someone moved g ahead on B (partition 0); the mirror must not pull it back.
      await commitOn(bAdmin, g, remote, [40, 10])
      await commitOn(aAdmin, g, topic, [20, 20])
      await commitOn(aAdmin, g2, topic, [6, 6])
      await waitFor('g2 synced to 6,6', async () => (await offsetsOn(bAdmin, g2, remote)).join() === '6,6')
      assert.deepEqual(await offsetsOn(bAdmin, g, remote), [40, 20])

      // A member of g is active on B: its offsets are left alone while it is there.
      const consumer = b.kafka().consumer({ groupId: g, allowAutoTopicCreation: false })
      await consumer.connect()
      await consumer.subscribe({ topic: remote })
      let joined = false
      consumer.on(consumer.events.GROUP_JOIN, () => { joined = true })
      await consumer.run({ autoCommit: false, eachMessage: async () => {} })
      await waitFor('consumer joined g on B', () => joined)
      await commitOn(aAdmin, g, topic, [45, 30])
      await commitOn(aAdmin, g2, topic, [7, 7])
      await waitFor('g2 synced to 7,7', async () => (await offsetsOn(bAdmin, g2, remote)).join() === '7,7')
      assert.deepEqual(await offsetsOn(bAdmin, g, remote), [40, 20])
      await consumer.disconnect()
      await waitFor('g synced once idle', async () => (await offsetsOn(bAdmin, g, remote)).join() === '45,30')
    } finally {
      await Promise.all([aAdmin.disconnect(), bAdmin.disconnect()])
    }
  })

  const variants: Array<{ name: string; props: Record<string, string>; remote: (t: string) => string; syncs: { on: 'A' | 'B'; topic: string } }> = [
    { name: 'offset-syncs.topic.location=target', props: { 'offset-syncs.topic.location': 'target' }, remote: (t: string) => `A.${t}`, syncs: { on: 'B', topic: 'mm2-offset-syncs.A.internal' } },
    { name: 'IdentityReplicationPolicy, tasks.max=2', props: { 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy', 'tasks.max': '2' }, remote: (t: string) => t, syncs: { on: 'A', topic: 'mm2-offset-syncs.B.internal' } },
  ]
  for (const variant of variants) {
    it(`checkpoints translate exactly with ${variant.name}`, async () => {
      const topic = uniqueName('cpv')
      const group = uniqueName('cpg')
      await createTopic(a.kafka(), topic, 3)
      // Foreign records already in the remote topic make downstream offsets differ (2 per partition).
      await createTopic(b.kafka(), variant.remote(topic), 3)
      await send(b.kafka(), variant.remote(topic), Array.from({ length: 6 }, (_, i) => ({ partition: i % 3, value: `foreign${i}` })))
      await send(a.kafka(), topic, Array.from({ length: 90 }, (_, i) => ({ partition: i % 3, value: `c${i}` })))
      await commitGroupOffsets(a.kafka(), group, [0, 1, 2].map((partition) => ({ topic, partition, offset: 5 + partition * 7 })))
      mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': topic, ...variant.props }))
      await readAll(b.kafka(), variant.remote(topic), 96)
      const client = new MirrorClient(b.kafka())
      const cps = await waitFor('checkpoints', async () => {
        const got = await client.remoteConsumerOffsets(group, 'A')
        return got.length === 3 ? got : undefined
      })
      assert.deepEqual(cps, [0, 1, 2].map((partition) => ({ topic: variant.remote(topic), partition, offset: 5 + partition * 7 + 2 })))
      assert.ok(await topicExists(variant.syncs.on === 'A' ? a.kafka() : b.kafka(), variant.syncs.topic))
    })
  }
})
