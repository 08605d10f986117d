import assert from 'node:assert/strict'
import { ConfigResourceTypes } from 'kafkajs'
import { kafkaConfigStore, kafkaOffsetStore, kafkaStatusStore } from '../../../connectors/storage'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { consumeAll } from '../connect-helpers'

describe('connectors/storage: Kafka-topic stores (Connect\'s internal topics)', () => {
  let cluster: TestCluster
  before(async () => { cluster = await startTestCluster() })
  after(async () => { await cluster?.stop() })

  it('creates a compacted offset topic, writes Connect\'s key format, and a new store reads it back', async () => {
    const topic = uniqueName('connect-offsets')
    const opts = { kafka: cluster.kafka(), topic, partitions: 5, replicationFactor: -1 }
    const a = kafkaOffsetStore(opts)
    await a.start()
    await a.set('conn', [{ partition: { filename: '/a' }, offset: { position: 10 } }, { partition: { filename: '/b' }, offset: { position: 20 } }])
    await a.set('conn', [{ partition: { filename: '/a' }, offset: { position: 11 } }, { partition: { filename: '/b' }, offset: null }])
    await a.stop()

    const admin = cluster.kafka().admin()
    await admin.connect()
    const md = await admin.fetchTopicMetadata({ topics: [topic] })
    assert.equal(md.topics[0].partitions.length, 5)
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] })
    assert.equal(cfg.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue, 'compact')
    await admin.disconnect()

    const raw = await consumeAll(cluster, topic, 4)
    assert.ok(raw.some((m) => m.key?.toString() === '["conn",{"filename":"/a"}]' && m.value?.toString() === '{"position":11}'))
    assert.ok(raw.some((m) => m.key?.toString() === '["conn",{"filename":"/b"}]' && m.value === null), 'a null offset is a tombstone')

    const b = kafkaOffsetStore({ ...opts, kafka: cluster.kafka() })
    await b.start()
    assert.deepEqual(await b.list('conn'), [{ partition: { filename: '/a' }, offset: { position: 11 } }])
    await b.stop()
  })

  it('config and status topics restore a worker\'s connectors, target states and statuses', async () => {
    const configTopic = uniqueName('connect-configs')
    const statusTopic = uniqueName('connect-status')
    const c1 = kafkaConfigStore({ kafka: cluster.kafka(), topic: configTopic, replicationFactor: -1 })
    const s1 = kafkaStatusStore({ kafka: cluster.kafka(), topic: statusTopic, partitions: 5, replicationFactor: -1 })
    await Promise.all([c1.start(), s1.start()])
    await c1.putConnectorConfig('src', { name: 'src', 'connector.class': 'FileStreamSource' })
    await c1.putTaskConfigs('src', [{ file: '/a' }])
    await c1.putTargetState('src', 'STOPPED')
    await s1.putConnector({ connector: 'src', state: 'STOPPED', workerId: 'w:1', generation: 4 })
    await Promise.all([c1.stop(), s1.stop()])

    const c2 = kafkaConfigStore({ kafka: cluster.kafka(), topic: configTopic, replicationFactor: -1 })
    const s2 = kafkaStatusStore({ kafka: cluster.kafka(), topic: statusTopic, partitions: 5, replicationFactor: -1 })
    await Promise.all([c2.start(), s2.start()])
    assert.deepEqual(c2.get('src'), { name: 'src', config: { name: 'src', 'connector.class': 'FileStreamSource' }, targetState: 'STOPPED', taskConfigs: [{ file: '/a' }] })
    assert.equal(s2.getConnector('src')?.state, 'STOPPED')
    await Promise.all([c2.stop(), s2.stop()])
  })

  it('refuses an existing internal topic that is not compacted, naming the topic and the fix', async () => {
    const topic = uniqueName('not-compacted')
    const admin = cluster.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    await admin.disconnect()
    await assert.rejects(kafkaOffsetStore({ kafka: cluster.kafka(), topic, partitions: 1, replicationFactor: -1 }).start(),
      (e: Error & { code?: string }) => e.code === 'CONNECT_OFFSET_STORE' && e.message.includes(topic) && /cleanup\.policy=delete/.test(e.message))
  })
})
