import assert from 'node:assert/strict'
import { logLevel } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { WireClient } from '../../../mirror/wire/kafka-client'

const initProducerId = require('kafkajs/src/protocol/requests/initProducerId').protocol({ version: 0 })
const Encoder = require('kafkajs/src/protocol/encoder')

describe('mirror/wire/kafka-client WireClient', function () {
  this.timeout(60000)
  let c: TestCluster
  let client: WireClient

  before(async () => {
    c = await startTestCluster({ nodes: 2 })
    client = new WireClient({ brokers: c.bootstrapServers, clientId: 'wire-test', logLevel: logLevel.NOTHING, connectionTimeout: 10000 })
    await client.connect()
  })
  after(async () => { await client?.disconnect(); await c?.stop() })

  it('knows every partition leader exactly as kafkajs admin reports it', async () => {
    const topic = uniqueName('wire')
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true })
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
    await admin.disconnect()
    await client.refreshMetadata([topic])
    const expected = topics[0].partitions.map((p) => [p.partitionId, p.leader]).sort()
    const actual = [0, 1, 2, 3].map((p) => [p, client.leaderOf(topic, p)])
    assert.deepEqual(actual, expected)
    assert.equal(new Set(actual.map((x) => x[1])).size, 2, 'partitions spread over both nodes')
    assert.equal(client.partitionCount(topic), 4)
    assert.equal(client.leaderOf(topic, 4), undefined)
    assert.equal(client.leaderOf(uniqueName('never-loaded'), 0), undefined)
  })

  it('sends a kafkajs protocol request to a node and returns its parsed response', async () => {
    const { request, response } = initProducerId({ transactionalId: null, transactionTimeout: 60000 })
    const res = await client.send<{ producerId: string; producerEpoch: number }>(client.leaderOf(await oneTopic(), 0)!, request, response, 10000)
    assert.match(res.producerId, /^\d+$/)
    assert.ok(Number(res.producerId) >= 0)
    assert.equal(res.producerEpoch, 0)
  })

  it('refuses an API version the node does not serve, naming node, API and versions', async () => {
    const node = client.leaderOf(await oneTopic(), 0)!
    const request = { apiKey: 0, apiVersion: 99, apiName: 'Produce', encode: () => new Encoder() }
    await assert.rejects(client.send(node, request, { decode: () => ({}), parse: () => ({}) }),
      (err: Error & { code?: string }) => err.code === 'MIRROR_WIRE_VERSION' && /node \d+ does not serve Produce v99 \(it serves v\d+-v\d+\)/.test(err.message))
  })

  it('loads the topics it knows when one it is asked for does not exist, and names the missing one', async () => {
    const known = await oneTopic()
    const missing = uniqueName('missing')
    assert.deepEqual(await client.refreshMetadata([missing]), [missing])
    assert.equal(client.unavailableReason(missing), 'UNKNOWN_TOPIC_OR_PARTITION')
    assert.equal(client.leaderOf(missing, 0), undefined)
    assert.notEqual(client.leaderOf(known, 0), undefined)
  })

  it('keeps loading the other topics while a known one is deleted, and finds it again once recreated', async () => {
    // Its own client: the shared one may still be asking for topics other tests left missing.
    const own = new WireClient({ brokers: c.bootstrapServers, clientId: 'wire-test-deleted', logLevel: logLevel.NOTHING, connectionTimeout: 10000 })
    const admin = c.kafka().admin()
    await Promise.all([own.connect(), admin.connect()])
    try {
      const [gone, stays] = [uniqueName('gone'), uniqueName('stays')]
      await admin.createTopics({ topics: [{ topic: gone, numPartitions: 2 }, { topic: stays, numPartitions: 4 }], waitForLeaders: true })
      assert.deepEqual(await own.refreshMetadata([gone, stays]), [])
      assert.equal(own.partitionCount(gone), 2)

      await admin.deleteTopics({ topics: [gone] })
      // Partitions are added meanwhile: only a fresh load knows their leaders.
      await admin.createPartitions({ topicPartitions: [{ topic: stays, count: 6 }] })
      assert.deepEqual(await own.refreshMetadata([]), [gone])
      assert.equal(own.unavailableReason(gone), 'UNKNOWN_TOPIC_OR_PARTITION')
      assert.deepEqual([own.leaderOf(gone, 0), own.leaderOf(gone, 1), own.partitionCount(gone)], [undefined, undefined, undefined])
      assert.deepEqual(await leaders(own, stays, 6), await adminLeaders(stays))
      // Asked again and again while it is gone: still the others load, the answer does not change.
      assert.deepEqual(await own.refreshMetadata([gone, stays]), [gone])
      assert.equal(own.partitionCount(stays), 6)

      await admin.createTopics({ topics: [{ topic: gone, numPartitions: 3 }], waitForLeaders: true })
      assert.deepEqual(await own.refreshMetadata([]), [])
      assert.equal(own.unavailableReason(gone), undefined)
      assert.deepEqual(await leaders(own, gone, 3), await adminLeaders(gone))
      assert.deepEqual(await leaders(own, stays, 6), await adminLeaders(stays))
    } finally {
      await Promise.all([own.disconnect(), admin.disconnect()])
    }

    async function leaders(w: WireClient, topic: string, n: number): Promise<Array<[number, number | undefined]>> {
      return Array.from({ length: n }, (_, p): [number, number | undefined] => [p, w.leaderOf(topic, p)])
    }
    async function adminLeaders(topic: string): Promise<Array<[number, number | undefined]>> {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      return topics[0].partitions.map((p): [number, number | undefined] => [p.partitionId, p.leader]).sort((x, y) => x[0] - y[0])
    }
  })

  it('a client whose only topic is deleted keeps its old brokers and does not load every other topic instead', async () => {
    const own = new WireClient({ brokers: c.bootstrapServers, clientId: 'wire-test-only', logLevel: logLevel.NOTHING, connectionTimeout: 10000 })
    const admin = c.kafka().admin()
    await Promise.all([own.connect(), admin.connect()])
    try {
      const [only, other] = [uniqueName('only'), uniqueName('other')]
      await admin.createTopics({ topics: [{ topic: only, numPartitions: 1 }, { topic: other, numPartitions: 1 }], waitForLeaders: true })
      await own.refreshMetadata([only])
      assert.notEqual(own.leaderOf(only, 0), undefined)
      await admin.deleteTopics({ topics: [only] })
      assert.deepEqual(await own.refreshMetadata([only]), [only])
      assert.deepEqual(await own.refreshMetadata([]), [only])
      assert.equal(own.leaderOf(only, 0), undefined)
      assert.equal(own.partitionCount(other), undefined, 'not loaded: it was never asked for')
      assert.equal(own.nodeIds().length, 2)
    } finally {
      await Promise.all([own.disconnect(), admin.disconnect()])
    }
  })

  async function oneTopic(): Promise<string> {
    const topic = uniqueName('one')
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
    await admin.disconnect()
    await client.refreshMetadata([topic])
    return topic
  }
})
