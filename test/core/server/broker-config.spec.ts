// Broker configuration: Kafka's names and defaults, the node.id/broker.id alias, topic defaults
// derived from broker keys, and listener parsing with clear errors.
import assert from 'node:assert/strict'
import { BrokerConfigDef, dataDirOf, firstNodeId, topicDefaults } from '../../../core/server/broker-config'
import { clusterRawConfig } from '../../../core/server/embedded-cluster'
import { endpointsFor, formatHostPort, parseListener } from '../../../core/server/listeners'
import { ClusterState, javaHashCode } from '../../../core/server/cluster-state'
import { ProducerIdAllocator } from '../../../core/server/producer-ids'
import { makeTempDir } from '../../helpers/temp-dir'

describe('core/server/broker-config', () => {
  it('has Kafka defaults', () => {
    const c = BrokerConfigDef.defaults()
    assert.equal(c['num.partitions'], 1)
    assert.equal(c['default.replication.factor'], 1)
    assert.equal(c['auto.create.topics.enable'], true)
    assert.equal(c['delete.topic.enable'], true)
    assert.equal(c['socket.request.max.bytes'], 104857600)
    assert.equal(c['message.max.bytes'], 1048588)
    assert.equal(c['group.initial.rebalance.delay.ms'], 3000)
    assert.equal(c['offsets.retention.minutes'], 10080)
    assert.equal(c['godwit.nodes'], 1)
  })

  it('takes broker.id when node.id is absent, and log.dirs over log.dir', () => {
    assert.equal(firstNodeId(BrokerConfigDef.parse({ 'broker.id': '4' })), 4)
    assert.equal(firstNodeId(BrokerConfigDef.parse({ 'broker.id': '4', 'node.id': '2' })), 2)
    assert.equal(dataDirOf(BrokerConfigDef.parse({ 'log.dir': '/a' })), '/a')
    assert.equal(dataDirOf(BrokerConfigDef.parse({ 'log.dir': '/a', 'log.dirs': '/b,/c' })), '/b')
  })

  it('maps broker keys to topic-config defaults', () => {
    const d = topicDefaults(BrokerConfigDef.parse({ 'log.retention.hours': '2', 'log.segment.bytes': '1048576', 'log.cleanup.policy': 'compact', 'log.flush.interval.messages': '100' }))
    assert.equal(d['retention.ms'], String(2 * 3600_000))
    assert.equal(d['segment.bytes'], '1048576')
    assert.equal(d['cleanup.policy'], 'compact')
    assert.equal(d['flush.messages'], '100')
    assert.equal(topicDefaults(BrokerConfigDef.parse({ 'log.retention.ms': '5000', 'log.retention.hours': '2' }))['retention.ms'], '5000')
    assert.deepEqual(topicDefaults(BrokerConfigDef.defaults()), {}, 'built-in defaults stay DEFAULT_CONFIG')
  })

  it('reports every bad key at once', () => {
    assert.throws(() => BrokerConfigDef.parse({ 'num.partitions': '0', 'godwit.nodes': 'x', 'log.cleanup.policy': 'shred' }), (e: Error) =>
      /num\.partitions: must be at least 1/.test(e.message) && /godwit\.nodes: expected an integer/.test(e.message) && /log\.cleanup\.policy/.test(e.message))
  })

  it('parses listeners and spreads one URL over several nodes', () => {
    assert.deepEqual(parseListener('PLAINTEXT://localhost:9092'), { host: 'localhost', port: 9092 })
    assert.deepEqual(parseListener('PLAINTEXT://[::1]:0'), { host: '::1', port: 0 })
    assert.deepEqual(parseListener('PLAINTEXT://:9092'), { host: '', port: 9092 })
    assert.deepEqual(parseListener('SSL://h:1'), { host: 'h', port: 1 })
    assert.throws(() => parseListener('localhost:9092'), /expected NAME:\/\/host:port/)
    assert.deepEqual(endpointsFor(['PLAINTEXT://h:9092'], 3, 'listeners').map((e) => e.port), [9092, 9093, 9094])
    assert.deepEqual(endpointsFor(['PLAINTEXT://h:0'], 2, 'listeners').map((e) => e.port), [0, 0])
    assert.throws(() => endpointsFor(['PLAINTEXT://h:1', 'PLAINTEXT://h:2'], 3, 'listeners'), /lists 2 URLs but godwit\.nodes is 3/)
    assert.equal(formatHostPort('::1', 5), '[::1]:5')
  })

  it('startCluster options override config keys', () => {
    const raw = clusterRawConfig({ dataDir: '/d', nodes: 3, ports: [1, 2, 3], config: { 'log.dirs': '/x', 'num.partitions': '4' } })
    assert.equal(raw['log.dirs'], '/d')
    assert.equal(raw['godwit.nodes'], 3)
    assert.deepEqual(raw['listeners'], ['PLAINTEXT://127.0.0.1:1', 'PLAINTEXT://127.0.0.1:2', 'PLAINTEXT://127.0.0.1:3'])
    assert.equal(raw['num.partitions'], '4')
  })

  it('spreads leaders round-robin and picks the group coordinator from __consumer_offsets', () => {
    const tmp = makeTempDir()
    try {
      const config = BrokerConfigDef.parse({ 'offsets.topic.num.partitions': '50' })
      const nodes = [0, 1, 2].map((nodeId) => ({ nodeId, host: 'h', port: 1 }))
      const state = new ClusterState('c', nodes, undefined, undefined, config, new ProducerIdAllocator(tmp.dir))
      const leaders = Array.from({ length: 6 }, (_, p) => state.leaderFor('orders', p))
      assert.deepEqual([0, 1, 2].map((n) => leaders.filter((l) => l === n).length), [2, 2, 2])
      assert.equal(javaHashCode('hello'), 99162322, "Java's String.hashCode")
      assert.equal(javaHashCode('polygenelubricants'), -2147483648)
      assert.equal(state.offsetsPartitionFor('polygenelubricants'), 0, "Kafka's abs() masks the sign bit")
      assert.equal(state.offsetsPartitionFor('hello'), 99162322 % 50)
      assert.equal(state.coordinatorFor('my-group'), state.leaderFor('__consumer_offsets', state.offsetsPartitionFor('my-group')))
      assert.equal(state.controllerId, 0)
    } finally {
      tmp.cleanup()
    }
  })

  it('never reuses a producer id across restarts', () => {
    const tmp = makeTempDir()
    try {
      const a = new ProducerIdAllocator(tmp.dir)
      const first = [a.allocate(), a.allocate()]
      const b = new ProducerIdAllocator(tmp.dir)
      const after = b.allocate()
      assert.deepEqual(first, [0, 1])
      assert.ok(after > first[1], `${after} > ${first[1]}`)
    } finally {
      tmp.cleanup()
    }
  })
})
