// One task (tasks.max=1) replicates two topics on the raw path (once under the identity policy,
// whose batches are re-encoded with provenance headers); one of them is deleted, on the source or on the target. As with MM2, the
// other topic keeps flowing; a deleted remote topic is recreated (by hand, or by topic sync on its
// interval) and every record not yet acknowledged on it arrives, in order, once.
import assert from 'node:assert/strict'
import { ConfigResourceTypes, type Admin, type Consumer, type Kafka, type Producer } from 'kafkajs'
import { randomBytes } from 'node:crypto'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { mm2Props, readAll, topicExists } from './mirror-helpers'

/** A consumer that keeps every value of one topic from its beginning, in order (one partition). */
async function follow(kafka: Kafka, topic: string): Promise<{ values: string[]; consumer: Consumer }> {
  const consumer = kafka.consumer({ groupId: `follow-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 50, allowAutoTopicCreation: false })
  const values: string[] = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message }) => { values.push(message.value!.toString()) } })
  return { values, consumer }
}

async function topicConfig(cluster: TestCluster, topic: string, name: string): Promise<string | null | undefined> {
  const admin = cluster.kafka().admin()
  await admin.connect()
  try {
    const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] })
    return res.resources[0].configEntries.find((e) => e.configName === name)?.configValue
  } finally { await admin.disconnect() }
}

const range = (name: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `${name}${from + i}`)

describe('mirror/integration a deleted topic does not stall the others of its task', function () {
  this.timeout(60000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined
  let admin: Admin
  let producer: Producer
  const consumers: Consumer[] = []

  before(async () => {
    ;[a, b] = await Promise.all([startTestCluster(), startTestCluster()])
    admin = a.kafka().admin()
    producer = a.kafka().producer()
    await Promise.all([admin.connect(), producer.connect()])
  })
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()))
    await mirror?.stop()
    mirror = undefined
  })
  after(async () => {
    await Promise.all([admin?.disconnect(), producer?.disconnect()])
    await Promise.all([a?.stop(), b?.stop()])
  })

  /**
   * Topics `<prefix>-x` and `<prefix>-y` (one partition each) with `n` and `ny` records, mirrored
   * by one task; returns once they are on B (x read back), with y's remote values as they arrive.
   */
  async function twoTopics(prefix: string, n: number, ny: number, extra: Record<string, string>): Promise<{ x: string; y: string; ys: string[] }> {
    const [x, y] = [`${prefix}-x`, `${prefix}-y`]
    await admin.createTopics({ topics: [{ topic: x, numPartitions: 1 }, { topic: y, numPartitions: 1 }], waitForLeaders: true })
    await send(x, range('x', 0, n))
    if (ny > 0) await send(y, range('y', 0, ny))
    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': `${prefix}-.*`, 'tasks.max': '1', ...extra }))
    assert.deepEqual((await readAll(b.kafka(), `A.${x}`, n)).map((r) => r.value), range('x', 0, n))
    const remoteY = await follow(b.kafka(), `A.${y}`)
    consumers.push(remoteY.consumer)
    await waitFor(`${ny} records on A.${y}`, () => remoteY.values.length >= ny, { timeoutMs: 20000 })
    return { x, y, ys: remoteY.values }
  }

  /** Deletes a topic on B and waits until B no longer lists it. */
  async function deleteOnB(topic: string): Promise<void> {
    const badmin = b.kafka().admin()
    await badmin.connect()
    try {
      await badmin.deleteTopics({ topics: [topic] })
      await waitFor(`${topic} gone`, async () => !(await badmin.listTopics()).includes(topic))
    } finally { await badmin.disconnect() }
  }

  async function send(topic: string, values: string[]): Promise<void> {
    await producer.send({ topic, messages: values.map((value) => ({ value })) })
  }

  it('a source topic deleted mid-stream: the other topic keeps arriving at once, long before the topic refresh; recreated, it is read from its start', async () => {
    // refresh.topics.interval.seconds=600: the connector does not reassign the task in this test.
    const { x, y, ys } = await twoTopics(uniqueName('srcdel'), 50, 50, { 'refresh.topics.interval.seconds': '600' })
    await admin.deleteTopics({ topics: [x] })
    // Round after round, over longer than the reader's longest backoff (5 s): each round arrives promptly.
    const started = Date.now()
    let sent = 50
    for (let round = 0; Date.now() - started < 7000; round++) {
      await send(y, range('y', sent, sent + 10))
      sent += 10
      await waitFor(`round ${round}: ${sent} records on A.${y} (have ${ys.length})`, () => ys.length >= sent, { timeoutMs: 2000 })
    }
    assert.deepEqual(ys, range('y', 0, sent), 'every record of y once, in order')

    // Topic config sync (every second here) goes on for y too, though x is still a known topic.
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: y, configEntries: [{ name: 'retention.ms', value: '7200000' }] }] })
    await waitFor(`retention.ms of A.${y} synced`, async () => (await topicConfig(b, `A.${y}`, 'retention.ms')) === '7200000', { timeoutMs: 5000 })

    // Recreated under its name before any refresh: a new topic, read from its start (not from
    // the old position 50, which would skip its first 50 records).
    await admin.createTopics({ topics: [{ topic: x, numPartitions: 1 }], waitForLeaders: true })
    await send(x, range('new', 0, 60))
    assert.deepEqual((await readAll(b.kafka(), `A.${x}`, 110, 15000)).map((r) => r.value), [...range('x', 0, 50), ...range('new', 0, 60)])
  })

  it('identity policy (raw path, batches re-encoded): a deleted source topic does not hold the other back, and is read again once recreated', async () => {
    const prefix = uniqueName('idsrc')
    const [x, y] = [`${prefix}-x`, `${prefix}-y`]
    await admin.createTopics({ topics: [{ topic: x, numPartitions: 1 }, { topic: y, numPartitions: 1 }], waitForLeaders: true })
    await send(x, ['x0'])
    await send(y, ['y0'])
    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, {
      'A->B.topics': `${prefix}-.*`, 'tasks.max': '1', 'refresh.topics.interval.seconds': '600', 'replication.policy.class': 'IdentityReplicationPolicy',
    }))
    assert.deepEqual((await readAll(b.kafka(), y, 1)).map((r) => r.value), ['y0'])
    const remoteY = await follow(b.kafka(), y)
    consumers.push(remoteY.consumer)
    await admin.deleteTopics({ topics: [x] })
    // y flows on while x is gone, long before the next topic refresh (600 s here). (This test once
    // covered the kafkajs consumer of the identity policy's batch path, which rebuilt itself
    // without x after kafkajs's retries; identity now takes the raw path too.)
    const started = Date.now()
    for (let i = 1; i < 8; i++) {
      await send(y, [`y${i}`])
      await waitFor(`y${i} on B`, () => remoteY.values.length >= i + 1, { timeoutMs: 40000 })
    }
    assert.deepEqual(remoteY.values, range('y', 0, 8))
    assert.ok(Date.now() - started < 40000, `7 rounds took ${Date.now() - started} ms`)

    // Recreated under its name before any refresh: read again, from its start (looked for every 5 s).
    await admin.createTopics({ topics: [{ topic: x, numPartitions: 1 }], waitForLeaders: true })
    await send(x, ['new0', 'new1'])
    assert.deepEqual((await readAll(b.kafka(), x, 3, 20000)).map((r) => r.value), ['x0', 'new0', 'new1'])
  })

  it('a source topic deleted: the next topic refresh reassigns the task without it, and the other topic goes on exactly once', async () => {
    const { x, y, ys } = await twoTopics(uniqueName('reassign'), 30, 30, { 'refresh.topics.interval.seconds': '1' })
    await admin.deleteTopics({ topics: [x] })
    // Over several refreshes (one reassigns the task): records keep coming, none lost or repeated.
    const started = Date.now()
    let sent = 30
    while (Date.now() - started < 4000) {
      await send(y, range('y', sent, sent + 10))
      sent += 10
      await waitFor(`${sent} records on A.${y} (have ${ys.length})`, () => ys.length >= sent, { timeoutMs: 5000 })
    }
    assert.deepEqual(ys, range('y', 0, sent))
    assert.equal(await topicExists(b.kafka(), `A.${x}`), true, 'the remote topic stays, as MM2 leaves it')
  })

  it('a remote topic deleted on the target: the other topic flows at once; recreated, it gets every record not yet acknowledged, in order, once', async () => {
    // y gets its first records only after A.x is gone, so the sender needs fresh target metadata
    // then; refresh.topics.interval.seconds=600 keeps topic sync from recreating A.x meanwhile.
    const { x, y, ys } = await twoTopics(uniqueName('dstdel'), 50, 0, { 'refresh.topics.interval.seconds': '600' })
    await deleteOnB(`A.${x}`)
    for (let i = 0; i < 50; i += 10) {
      await send(x, range('x', 50 + i, 60 + i))
      await send(y, range('y', i, i + 10))
    }
    await waitFor(`50 records on A.${y} while A.${x} is gone (have ${ys.length})`, () => ys.length >= 50, { timeoutMs: 2500 })
    assert.deepEqual(ys, range('y', 0, 50))
    assert.equal(await topicExists(b.kafka(), `A.${x}`), false)

    // Recreated empty: the old records went with the deleted topic; all the waiting ones arrive.
    const badmin = b.kafka().admin()
    await badmin.connect()
    try { await badmin.createTopics({ topics: [{ topic: `A.${x}`, numPartitions: 1 }], waitForLeaders: true }) } finally { await badmin.disconnect() }
    assert.deepEqual((await readAll(b.kafka(), `A.${x}`, 50, 15000)).map((r) => r.value), range('x', 50, 100))
    // And then on as usual, with no copy of a retried batch in between.
    await send(x, ['x100'])
    assert.deepEqual((await readAll(b.kafka(), `A.${x}`, 51, 15000)).map((r) => r.value), range('x', 50, 101))
  })

  it('a deleted remote topic whose waiting records outgrow the task\'s 4 MiB of unacknowledged bytes still does not stall the other', async () => {
    const { x, y, ys } = await twoTopics(uniqueName('big'), 10, 0, { 'refresh.topics.interval.seconds': '600' })
    await deleteOnB(`A.${x}`)
    // 6 MiB for x (in sends under the 1 MiB request limit), then y.
    const pad = 'p'.repeat(100 * 1024)
    for (let i = 10; i < 70; i += 8) await send(x, range('x', i, Math.min(i + 8, 70)).map((v) => `${v}:${pad}`))
    for (let round = 0; round < 5; round++) {
      await send(y, range('y', round * 10, round * 10 + 10))
      await waitFor(`${round * 10 + 10} records on A.${y} (have ${ys.length})`, () => ys.length >= round * 10 + 10, { timeoutMs: 3000 })
    }
    assert.deepEqual(ys, range('y', 0, 50))

    const badmin = b.kafka().admin()
    await badmin.connect()
    try { await badmin.createTopics({ topics: [{ topic: `A.${x}`, numPartitions: 1 }], waitForLeaders: true }) } finally { await badmin.disconnect() }
    const got = await readAll(b.kafka(), `A.${x}`, 60, 20000)
    assert.deepEqual(got.map((r) => r.value!.split(':')[0]), range('x', 10, 70))
    assert.ok(got.every((r) => r.value === `${r.value!.split(':')[0]}:${pad}`), 'whole values')
  })

  it('a deleted remote topic is recreated by topic sync on its interval, and the waiting records land there', async () => {
    const { x } = await twoTopics(uniqueName('resync'), 20, 0, { 'refresh.topics.interval.seconds': '2' })
    await deleteOnB(`A.${x}`)
    await send(x, range('x', 20, 40))
    await waitFor(`A.${x} recreated by topic sync`, () => topicExists(b.kafka(), `A.${x}`), { timeoutMs: 10000 })
    assert.deepEqual((await readAll(b.kafka(), `A.${x}`, 20, 15000)).map((r) => r.value), range('x', 20, 40))
  })
})
