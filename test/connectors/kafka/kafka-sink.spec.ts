import assert from 'node:assert/strict'
import type { StandaloneWorker } from '../../../connectors/standalone'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest, startWorker } from '../connect-helpers'

describe('connectors/kafka: KafkaSink copies a topic into another cluster', () => {
  let source: TestCluster
  let target: TestCluster
  let worker: StandaloneWorker
  let temp: ReturnType<typeof makeTempDir>
  before(async () => {
    ;[source, target] = await Promise.all([startTestCluster(), startTestCluster()])
    temp = makeTempDir()
    worker = await startWorker(source, temp.dir)
  })
  after(async () => {
    await worker?.stop()
    await Promise.all([source?.stop(), target?.stop()])
    temp?.cleanup()
  })

  it('keeps keys, values, headers, timestamps and partitions, zstd-compressed, and commits what it wrote', async () => {
    const topic = uniqueName('orders')
    for (const c of [source, target]) {
      const admin = c.kafka().admin()
      await admin.connect()
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: c === source ? topic : `copy.${topic}`, numPartitions: 3 }] })
      await admin.disconnect()
    }
    const producer = source.kafka().producer()
    await producer.connect()
    const sent = Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 7}`, value: `order-${i}`, partition: i % 3, timestamp: String(1700000000000 + i), headers: { seq: String(i) } }))
    await producer.send({ topic, messages: sent })
    await producer.disconnect()

    const name = uniqueName('copy')
    const r = await rest(worker.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'KafkaSink', topics: topic, 'target.bootstrap.servers': target.brokers, 'target.topic.format': 'copy.${topic}', 'compression.type': 'zstd', 'tasks.max': '2' },
    })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const copied = await consumeAll(target, `copy.${topic}`, 300)
    assert.equal(copied.length, 300)
    for (const m of copied) {
      const i = Number((m.headers.seq as Buffer).toString())
      assert.equal(m.value?.toString(), `order-${i}`)
      assert.equal(m.key?.toString(), `k${i % 7}`)
      assert.equal(m.partition, i % 3)
    }
    for (const p of [0, 1, 2]) {
      const seq = copied.filter((m) => m.partition === p).sort((a, b) => a.offset - b.offset).map((m) => Number((m.headers.seq as Buffer).toString()))
      assert.deepEqual(seq, sent.filter((s) => s.partition === p).map((s) => Number(s.headers.seq)))
    }
    await waitFor('sink offsets committed', async () => {
      const offs = (await rest(worker.url, 'GET', `/connectors/${name}/offsets`)).body.offsets as Array<{ partition: { kafka_partition: number }; offset: { kafka_offset: number } }>
      return offs.length === 3 && offs.every((o) => o.offset.kafka_offset === 100)
    })
  })

  it('keeps every value of a header key that repeats (Kafka headers are a list, not a map)', async () => {
    const topic = uniqueName('multi-header')
    const admin = source.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    await admin.disconnect()
    const producer = source.kafka().producer()
    await producer.connect()
    await producer.send({ topic, messages: [{ value: 'v', headers: { hop: ['a', 'b', 'c'], single: 'x' } }] })
    await producer.disconnect()
    const name = uniqueName('multi-header')
    const r = await rest(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'KafkaSink', topics: topic, 'target.bootstrap.servers': target.brokers } })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const [copied] = await consumeAll(target, topic, 1)
    assert.deepEqual((copied.headers.hop as Buffer[]).map(String), ['a', 'b', 'c'])
    assert.equal(String(copied.headers.single), 'x')
    assert.equal((await rest(worker.url, 'DELETE', `/connectors/${name}`)).status, 204)
  })

  it('sink offsets: altered while STOPPED (Connect\'s kafka_topic/kafka_partition/kafka_offset), then consumption resumes there; reset deletes the group', async () => {
    const topic = uniqueName('replay')
    const admin = source.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    const producer = source.kafka().producer()
    await producer.connect()
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `r${i}` })) })
    await producer.disconnect()
    const name = uniqueName('replay')
    const call = (m: string, p: string, b?: unknown) => rest(worker.url, m, p, b)
    await call('POST', '/connectors', { name, config: { 'connector.class': 'KafkaSink', topics: topic, 'target.bootstrap.servers': target.brokers, 'target.topic.format': `replayed.${topic}` } })
    await consumeAll(target, `replayed.${topic}`, 10).catch(async (e: Error) => {
      const ta = target.kafka().admin()
      await ta.connect()
      const hw = await ta.fetchTopicOffsets(`replayed.${topic}`).catch((x: Error) => x.message)
      await ta.disconnect()
      const metrics = ((await call('GET', '/metrics')).body as string).split('\n').filter((l) => l.includes(name)).join('\n')
      throw new Error(`${e.message}; status: ${JSON.stringify((await call('GET', `/connectors/${name}/status`)).body)}; target hw ${JSON.stringify(hw)}; offsets ${JSON.stringify((await call('GET', `/connectors/${name}/offsets`)).body)}\n${metrics}`)
    })
    await waitFor('committed 10', async () => (await call('GET', `/connectors/${name}/offsets`)).body.offsets[0]?.offset.kafka_offset === 10)

    const early = await call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 7 } }] })
    assert.equal(early.status, 400)
    assert.equal((await call('PUT', `/connectors/${name}/stop`)).status, 204)
    const bad = await call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic }, offset: { kafka_offset: 7 } }] })
    assert.equal(bad.status, 400)
    assert.match(bad.body.message, /kafka_partition/)
    const ok = await call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 7 } }] })
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.deepEqual((await call('GET', `/connectors/${name}/offsets`)).body, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 7 } }] })
    const fetched = await admin.fetchOffsets({ groupId: `connect-${name}`, topics: [topic] })
    assert.equal(fetched[0].partitions[0].offset, '7')

    assert.equal((await call('PUT', `/connectors/${name}/resume`)).status, 202)
    const copied = await consumeAll(target, `replayed.${topic}`, 13)
    assert.deepEqual(copied.sort((a, b) => a.offset - b.offset).map((m) => m.value?.toString()), [...Array.from({ length: 10 }, (_, i) => `r${i}`), 'r7', 'r8', 'r9'])

    await waitFor('committed 10 again', async () => (await call('GET', `/connectors/${name}/offsets`)).body.offsets[0]?.offset.kafka_offset === 10)
    assert.equal((await call('PUT', `/connectors/${name}/stop`)).status, 204)
    assert.equal((await call('DELETE', `/connectors/${name}/offsets`)).status, 200)
    assert.deepEqual((await call('GET', `/connectors/${name}/offsets`)).body, { offsets: [] })
    await admin.disconnect()
  })
})
