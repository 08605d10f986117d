import assert from 'node:assert/strict'
import { parseMm2Config, kafkajsConfig, DEFAULT_CONFIG_PROPERTIES_EXCLUDE } from '../../../mirror/config'
import { MirrorConfigError } from '../../../mirror/errors'

// The settings of MM2's example connect-mirror-maker.properties, in our own words and order.
const EXAMPLE = `
# two clusters, one direction
clusters = A, B
A.bootstrap.servers = a1:9092
B.bootstrap.servers = b1:9092, b2:9092

A->B.enabled = true
A->B.topics = .*
B->A.enabled = false

replication.factor=1
checkpoints.topic.replication.factor=1
heartbeats.topic.replication.factor=1
offset-syncs.topic.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
config.storage.replication.factor=1
`

describe('mirror/config mm2.properties', () => {
  it('reads MM2\'s example file unchanged: clusters, flows, overrides and MM2 defaults', () => {
    const c = parseMm2Config(EXAMPLE)
    assert.deepEqual(c.warnings, [])
    assert.deepEqual(c.clusters.map((x) => [x.alias, x.clientProps['bootstrap.servers']]), [['A', 'a1:9092'], ['B', 'b1:9092, b2:9092']])
    const ab = c.flows.find((f) => f.source === 'A' && f.target === 'B')!
    const ba = c.flows.find((f) => f.source === 'B' && f.target === 'A')!
    assert.equal(ab.enabled, true)
    assert.equal(ba.enabled, false)
    assert.deepEqual(ab.config.topics, ['.*'])
    assert.equal(ab.config['replication.factor'], 1)
    assert.equal(ab.config['heartbeats.topic.replication.factor'], 1)
    assert.equal(ab.config['source.cluster.alias'], 'A')
    assert.equal(ab.config['target.cluster.alias'], 'B')
    assert.equal(ab.connectorProps['target.cluster.bootstrap.servers'], 'b1:9092, b2:9092')
    assert.equal(c.worker['offset.storage.replication.factor'], 1)
    // MM2's defaults for everything not set
    assert.deepEqual(ab.config['topics.exclude'], ['.*[\\-\\.]internal', '.*\\.replica', '__.*'])
    assert.deepEqual(ab.config.groups, ['.*'])
    assert.deepEqual(ab.config['groups.exclude'], ['console-consumer-.*', 'connect-.*', '__.*'])
    assert.deepEqual(ab.config['config.properties.exclude'], DEFAULT_CONFIG_PROPERTIES_EXCLUDE)
    assert.equal(ab.config['refresh.topics.interval.seconds'], 600)
    assert.equal(ab.config['emit.heartbeats.interval.seconds'], 1)
    assert.equal(ab.config['emit.checkpoints.interval.seconds'], 60)
    assert.equal(ab.config['sync.group.offsets.enabled'], false)
    assert.equal(ab.config['offset.lag.max'], 100)
    assert.equal(ab.config['offset-syncs.topic.location'], 'source')
    assert.equal(ab.config['replication.policy.class'], 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy')
    assert.equal(ab.config['replication.policy.separator'], '.')
    assert.equal(ab.config['tasks.max'], 1)
  })

  it('applies cluster prefixes, top-level security settings and flow overrides', () => {
    const c = parseMm2Config({
      'clusters': 'A,B',
      'A.bootstrap.servers': 'a:1', 'B.bootstrap.servers': 'b:1',
      'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
      'B.security.protocol': 'PLAINTEXT',
      'A.consumer.fetch.max.bytes': '1000',
      'topics': 'orders.*', 'A->B.enabled': 'true', 'A->B.topics': 'payments', 'B->A.enabled': 'true',
    })
    const a = c.clusters[0].clientProps
    assert.equal(a['security.protocol'], 'SASL_PLAINTEXT')
    assert.equal(a['consumer.fetch.max.bytes'], '1000')
    assert.equal(c.clusters[1].clientProps['security.protocol'], 'PLAINTEXT')
    assert.deepEqual(kafkajsConfig(a, 'x').sasl, { mechanism: 'plain', username: 'u', password: 'p' })
    assert.deepEqual(c.flows.find((f) => f.source === 'A')!.config.topics, ['payments'])
    assert.deepEqual(c.flows.find((f) => f.source === 'B')!.config.topics, ['orders.*'])
  })

  it('warns about unknown properties, naming the closest valid one', () => {
    const c = parseMm2Config(EXAMPLE + '\nemit.heartbeat.enabled = true\nA->B.topic = x\nA.bootstrap.server = q\nC->A.enabled = true\n')
    assert.ok(c.warnings.includes("emit.heartbeat.enabled: unknown property (did you mean 'emit.heartbeats.enabled'?); ignored"), c.warnings.join('\n'))
    assert.ok(c.warnings.includes("A->B.topic: unknown property (did you mean 'A->B.topics'?); ignored"), c.warnings.join('\n'))
    assert.ok(c.warnings.includes("A.bootstrap.server: unknown property (did you mean 'A.bootstrap.servers'?); ignored"), c.warnings.join('\n'))
    assert.ok(c.warnings.some((w) => w.startsWith('C->A.enabled: cluster "C" is not in clusters')), c.warnings.join('\n'))
  })

  it('stops on invalid values with every problem listed at once', () => {
    const bad = `clusters = A, B
A.bootstrap.servers = a:1
A->B.enabled = yes
A->B.topics = (unclosed
replication.factor = 0
offset-syncs.topic.location = middle
replication.policy.class = com.example.MyPolicy
`
    let err: unknown
    try { parseMm2Config(bad) } catch (e) { err = e }
    assert.ok(err instanceof MirrorConfigError)
    const msg = (err as Error).message
    assert.match(msg, /^Invalid mm2\.properties \(6 problems\):/)
    assert.match(msg, /B\.bootstrap\.servers: is required and has no default/)
    assert.match(msg, /A->B\.enabled: expected true or false, got "yes"/)
    assert.match(msg, /A->B\.topics: "\(unclosed" is not a valid regular expression/)
    assert.match(msg, /replication\.factor: must be at least 1 \(or -1 for the broker default\), got 0/)
    assert.match(msg, /offset-syncs\.topic\.location: must be one of source, target, got "middle"/)
    assert.match(msg, /replication\.policy\.class: unknown replication policy "com\.example\.MyPolicy"/)
  })

  it('requires clusters', () => {
    assert.throws(() => parseMm2Config('topics = .*'), /clusters: is required/)
  })
})
