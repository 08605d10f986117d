// Every kafkajs admin call that is not about groups, against a real embedded broker.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { ConfigResourceTypes, type Admin, type Producer } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { WireClient } from './wire-client'

describe('core/server kafkajs admin', () => {
  let tc: TestCluster
  let admin: Admin
  let producer: Producer
  before(async () => {
    tc = await startTestCluster({ nodes: 2 })
    admin = tc.kafka('admin-test').admin()
    await admin.connect()
    producer = tc.kafka('admin-producer').producer()
    await producer.connect()
  })
  after(async () => {
    await producer.disconnect()
    await admin.disconnect()
    await tc.stop()
  })

  it('createTopics, listTopics, fetchTopicMetadata and describeCluster', async () => {
    const a = uniqueName('admin-a')
    const b = uniqueName('admin-b')
    assert.equal(await admin.createTopics({ topics: [{ topic: a, numPartitions: 3 }, { topic: b }], waitForLeaders: true }), true)
    const topics = await admin.listTopics()
    assert.ok(topics.includes(a) && topics.includes(b))
    const md = await admin.fetchTopicMetadata({ topics: [a, b] })
    const byName = new Map(md.topics.map((t) => [t.name, t]))
    assert.equal(byName.get(a)!.partitions.length, 3)
    assert.equal(byName.get(b)!.partitions.length, 1, 'numPartitions -1 takes num.partitions (1)')
    const leaders = new Set(byName.get(a)!.partitions.map((p) => p.leader))
    assert.deepEqual([...leaders].sort(), [0, 1], 'leaders are spread over both nodes')
    const cluster = await admin.describeCluster()
    assert.equal(cluster.brokers.length, 2)
    assert.equal(cluster.controller, 0)
    assert.equal(cluster.clusterId, tc.cluster.clusterId)
  })

  it('createTopics reports an existing topic, a bad config and a replication factor above the node count', async () => {
    const t = uniqueName('admin-dup')
    await admin.createTopics({ topics: [{ topic: t }] })
    assert.equal(await admin.createTopics({ topics: [{ topic: t }] }), false, 'an existing topic is not created again')
    await assert.rejects(admin.createTopics({ topics: [{ topic: uniqueName('admin-bad'), configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }),
      (e: Error & { errors?: { type: string }[] }) => e.errors?.[0]?.type === 'INVALID_CONFIG')
    // kafkajs shows its own text; the broker's error_message names the key and the problem.
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const res = await c.request(ApiKey.CreateTopics, 1, { topics: [{ name: uniqueName('admin-bad'), numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: 'soon' }] }], timeoutMs: 1000, validateOnly: false })
      assert.equal(res.topics[0].errorCode, ErrorCode.INVALID_CONFIG)
      assert.match(String(res.topics[0].errorMessage), /retention\.ms: expected an integer, got "soon"/)
    } finally {
      c.close()
    }
    await assert.rejects(admin.createTopics({ topics: [{ topic: uniqueName('admin-rf'), replicationFactor: 3 }] }),
      (e: Error & { errors?: { type: string }[] }) => e.errors?.[0]?.type === 'INVALID_REPLICATION_FACTOR')
    const v = uniqueName('admin-validate')
    await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: v }] })
    assert.ok(!(await admin.listTopics()).includes(v), 'validateOnly creates nothing')
  })

  it('createPartitions grows a topic and refuses to shrink it', async () => {
    const t = uniqueName('admin-grow')
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] })
    await admin.createPartitions({ topicPartitions: [{ topic: t, count: 4 }] })
    const md = await admin.fetchTopicMetadata({ topics: [t] })
    assert.equal(md.topics[0].partitions.length, 4)
    await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic: t, count: 2 }] }),
      (e: Error & { errors?: { type: string }[] }) => e.errors?.[0]?.type === 'INVALID_PARTITIONS' || /INVALID_PARTITIONS|partitions/i.test(e.message))
  })

  it('fetchTopicOffsets, fetchTopicOffsetsByTimestamp and deleteTopicRecords', async () => {
    const t = uniqueName('admin-offsets')
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] })
    const base = Date.now() - 100_000
    for (let i = 0; i < 10; i++) {
      await producer.send({ topic: t, messages: [{ value: `v${i}`, timestamp: String(base + i * 1000) }] })
    }
    const offsets = await admin.fetchTopicOffsets(t)
    assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]), [[0, '0', '10']])
    const byTs = await admin.fetchTopicOffsetsByTimestamp(t, base + 4500)
    assert.deepEqual(byTs, [{ partition: 0, offset: '5' }])
    await admin.deleteTopicRecords({ topic: t, partitions: [{ partition: 0, offset: '6' }] })
    const after = await admin.fetchTopicOffsets(t)
    assert.equal(after[0].low, '6')
    assert.equal(after[0].high, '10')
  })

  it('describeConfigs and alterConfigs on a topic, and describeConfigs on a broker', async () => {
    const t = uniqueName('admin-configs')
    await admin.createTopics({ topics: [{ topic: t, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })
    const describe = async (): Promise<Map<string, { configValue: string; isDefault: boolean; configSource?: number }>> => {
      const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t }] })
      return new Map(res.resources[0].configEntries.map((e) => [e.configName, e as never]))
    }
    let cfg = await describe()
    assert.equal(cfg.get('retention.ms')!.configValue, '3600000')
    assert.equal(cfg.get('retention.ms')!.isDefault, false)
    assert.equal(cfg.get('cleanup.policy')!.configValue, 'delete')
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] })
    cfg = await describe()
    assert.equal(cfg.get('cleanup.policy')!.configValue, 'compact')
    assert.equal(cfg.get('retention.ms')!.configValue, '604800000', 'AlterConfigs replaces the whole set of overrides')
    await assert.rejects(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t, configEntries: [{ name: 'retention.ms', value: 'x' }] }] }),
      (e: Error) => /INVALID_CONFIG|retention/i.test(`${e.message} ${(e as { type?: string }).type ?? ''}`))
    await admin.alterConfigs({ validateOnly: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: t, configEntries: [{ name: 'retention.ms', value: '1000' }] }] })
    assert.equal((await describe()).get('retention.ms')!.configValue, '604800000', 'validateOnly changes nothing')
    const broker = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }] })
    const entries = new Map(broker.resources[0].configEntries.map((e) => [e.configName, e.configValue]))
    assert.equal(entries.get('num.partitions'), '1')
    assert.equal(entries.get('godwit.nodes'), '2')
  })

  it('deleteTopics removes the topic and its data', async () => {
    const t = uniqueName('admin-delete')
    await admin.createTopics({ topics: [{ topic: t }] })
    await producer.send({ topic: t, messages: [{ value: 'gone soon' }] })
    await admin.deleteTopics({ topics: [t] })
    assert.ok(!(await admin.listTopics()).includes(t))
    assert.equal(tc.cluster.state.logs.topic(t), undefined)
    await waitFor('the partition directory removed from disk', () => !fs.readdirSync(tc.dataDir).some((d) => d.startsWith(`${t}-`)))
    await admin.createTopics({ topics: [{ topic: t }] })
    const offsets = await admin.fetchTopicOffsets(t)
    assert.equal(offsets[0].high, '0', 'a recreated topic starts empty')
  })
})
