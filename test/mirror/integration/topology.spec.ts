import assert from 'node:assert/strict'
import { ConfigResourceTypes } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { MirrorClient } from '../../../mirror/client'
import { decodeHeartbeat } from '../../../mirror/formats'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { mm2Props, readAll, topicExists } from './mirror-helpers'

describe('mirror/integration topics, configs and heartbeats', function () {
  this.timeout(90000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  afterEach(async () => { await mirror?.stop(); mirror = undefined })
  after(async () => { await Promise.all([a?.stop(), b?.stop()]) })

  async function topicConfig(cluster: TestCluster, topic: string, name: string): Promise<string | undefined> {
    return (await configEntry(cluster, topic, name))?.configValue ?? undefined
  }

  async function configEntry(cluster: TestCluster, topic: string, name: string): Promise<{ configValue: string | null; isDefault: boolean } | undefined> {
    const admin = cluster.kafka().admin()
    await admin.connect()
    try {
      const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] })
      return res.resources[0].configEntries.find((e) => e.configName === name)
    } finally { await admin.disconnect() }
  }

  async function partitionCount(cluster: TestCluster, topic: string): Promise<number> {
    const admin = cluster.kafka().admin()
    await admin.connect()
    try { return (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length } finally { await admin.disconnect() }
  }

  it('discovers new topics and partitions, and keeps topic configs in sync (minus excluded ones)', async () => {
    const prefix = uniqueName('disc')
    const first = `${prefix}-first`
    const admin = a.kafka().admin()
    await admin.connect()
    const producer = a.kafka().producer()
    await producer.connect()
    try {
      await admin.createTopics({ topics: [{ topic: first, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'min.insync.replicas', value: '1' }] }], waitForLeaders: true })
      mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': `${prefix}-.*` }))
      await waitFor('remote topic A.first', () => topicExists(b.kafka(), `A.${first}`))
      assert.equal(await topicConfig(b, `A.${first}`, 'retention.ms'), '3600000')
      assert.equal((await configEntry(a, first, 'min.insync.replicas'))?.isDefault, false)
      assert.equal((await configEntry(b, `A.${first}`, 'min.insync.replicas'))?.isDefault, true, 'min.insync.replicas is in config.properties.exclude')

      // A topic created after start is found at the next refresh, with its records.
      const second = `${prefix}-second`
      await admin.createTopics({ topics: [{ topic: second, numPartitions: 2 }], waitForLeaders: true })
      await producer.send({ topic: second, messages: [{ partition: 0, value: 'x0' }, { partition: 1, value: 'x1' }] })
      const got = await readAll(b.kafka(), `A.${second}`, 2)
      assert.deepEqual(got.map((r) => [r.partition, r.value]), [[0, 'x0'], [1, 'x1']])

      // New partitions: the remote topic grows and records in the new partition arrive there.
      await admin.createPartitions({ topicPartitions: [{ topic: second, count: 4 }] })
      await waitFor('A.second grown to 4 partitions', async () => (await partitionCount(b, `A.${second}`)) === 4)
      // (a fresh producer: kafkajs drops sends to partitions its metadata does not know yet)
      const fresh = a.kafka().producer()
      await fresh.connect()
      await fresh.send({ topic: second, messages: [{ partition: 3, value: 'x3' }] })
      await fresh.disconnect()
      const after = await readAll(b.kafka(), `A.${second}`, 3)
      assert.deepEqual(after.find((r) => r.value === 'x3')?.partition, 3)

      // A config change on the source is synced to the remote topic.
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: first, configEntries: [{ name: 'retention.ms', value: '7200000' }, { name: 'min.insync.replicas', value: '1' }] }] })
      await waitFor('retention.ms synced', async () => (await topicConfig(b, `A.${first}`, 'retention.ms')) === '7200000')
    } finally {
      await producer.disconnect()
      await admin.disconnect()
    }
  })

  it('emits heartbeats; hops and upstream clusters are visible on the target', async () => {
    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': 'heartbeats' }))
    const beats = await readAll(b.kafka(), 'heartbeats', 1)
    const hb = decodeHeartbeat(beats[0].rawKey, beats[0].rawValue)
    assert.equal(hb.sourceClusterAlias, 'A')
    assert.equal(hb.targetClusterAlias, 'B')
    assert.ok(Math.abs(hb.timestamp - Date.now()) < 60000)
    const client = new MirrorClient(b.kafka())
    await waitFor('A.heartbeats on B', async () => (await client.heartbeatTopics()).includes('A.heartbeats'))
    assert.deepEqual(await client.upstreamClusters(), ['A'])
    assert.ok((await client.remoteTopics('A')).includes('A.heartbeats'))
    assert.deepEqual(await client.remoteTopics('C'), [])
    assert.equal(await client.replicationHops('A'), 1)
    assert.equal(await client.replicationHops('C'), -1)
    const onA = new MirrorClient(a.kafka())
    assert.deepEqual(await onA.upstreamClusters(), [])
  })
})
