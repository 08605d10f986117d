import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ConfigError } from '../../../config'
import { parseMm2Config } from '../../../mirror/config'
import { planDistributedMirror } from '../../../mirror/driver'
import { MirrorConfigError } from '../../../mirror/errors'

// dist/test/mirror/integration -> repository root.
const ROOT = path.resolve(__dirname, '..', '..', '..', '..')

const base = {
  'clusters': 'A, B', 'A.bootstrap.servers': 'a1:9092', 'B.bootstrap.servers': 'b1:9092,b2:9092',
  'A->B.enabled': 'true', 'A->B.topics': 'orders.*', 'tasks.max': '4', 'redis.url': 'redis://r:6379',
}

describe('mirror/driver planDistributedMirror (what `godwit mirror --distributed` starts)', () => {
  it('runs the compose demo\'s deploy/mm2/mm2.properties: group.id, redis.url and listeners pass through, the worker produces to the target', () => {
    const text = fs.readFileSync(path.join(ROOT, 'deploy', 'mm2', 'mm2.properties'), 'utf8')
    const plan = planDistributedMirror(text)
    assert.deepEqual(plan.config.warnings, [], 'no key of the demo file is ignored')
    assert.equal(plan.target, 'b')
    assert.equal(plan.workerProps['group.id'], 'godwit-mm2')
    assert.equal(plan.workerProps['redis.url'], 'redis://redis:6379')
    assert.equal(plan.workerProps['listeners'], 'http://0.0.0.0:8083')
    assert.equal(plan.workerProps['session.timeout.ms'], '6000')
    assert.equal(plan.workerProps['bootstrap.servers'], 'kafka-b:9092')
    assert.deepEqual(plan.connectors.map((c) => c.name), ['a->b.MirrorSourceConnector', 'a->b.MirrorCheckpointConnector', 'a->b.MirrorHeartbeatConnector'])
  })

  it('gives each connector the same per-flow properties as dedicated mode, under MM2\'s class names', () => {
    const plan = planDistributedMirror(base)
    const flow = parseMm2Config(base).flows.find((f) => f.source === 'A' && f.target === 'B')!
    const [source, checkpoint, heartbeat] = plan.connectors
    assert.equal(source!['topics'], 'orders.*')
    assert.equal(source!['target.cluster.bootstrap.servers'], 'b1:9092,b2:9092')
    assert.deepEqual(source, { ...flow.connectorProps, 'name': 'A->B.MirrorSourceConnector', 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector', 'tasks.max': '4' })
    assert.equal(checkpoint!['connector.class'], 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector')
    assert.equal(heartbeat!['tasks.max'], '1')
    assert.equal(plan.workerProps['bootstrap.servers'], 'b1:9092,b2:9092')
    assert.equal(plan.workerProps['group.id'], 'godwit-mm2', 'default group.id')
  })

  it('--redis-url and --group-id override the file', () => {
    const plan = planDistributedMirror(base, { redisUrl: 'redis://other:1', groupId: 'g2' })
    assert.equal(plan.workerProps['redis.url'], 'redis://other:1')
    assert.equal(plan.workerProps['group.id'], 'g2')
  })

  it('refuses a file without a Redis URL with a ConfigError naming redis.url and --redis-url', () => {
    const { 'redis.url': _r, ...noRedis } = base
    assert.throws(() => planDistributedMirror(noRedis), (e: unknown) =>
      e instanceof ConfigError && /redis\.url/.test(e.message) && /--redis-url/.test(e.message))
  })

  it('refuses flows into two targets (one worker group per target) and suggests --clusters', () => {
    const both = { ...base, 'B->A.enabled': 'true' }
    assert.throws(() => planDistributedMirror(both), (e: unknown) =>
      e instanceof MirrorConfigError && /target B, A/.test(e.message) && /--clusters B --group-id godwit-mm2-B/.test(e.message))
    assert.deepEqual(planDistributedMirror(both, { clusters: ['A'] }).connectors.map((c) => c.name),
      ['B->A.MirrorSourceConnector', 'B->A.MirrorCheckpointConnector', 'B->A.MirrorHeartbeatConnector'])
  })

  it('a TLS / SASL target: its settings reach the worker top-level and as producer./consumer./admin. (as MM2 builds worker configs); a TLS source stays with the connectors', () => {
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="s";'
    const plan = planDistributedMirror({
      ...base, 'B.security.protocol': 'SASL_SSL', 'B.sasl.mechanism': 'SCRAM-SHA-512', 'B.sasl.jaas.config': jaas,
      'B.ssl.truststore.location': '/ca.pem', 'B.producer.sasl.jaas.config': 'producer-own', 'A.security.protocol': 'SSL',
    })
    const w = plan.workerProps
    for (const p of ['', 'producer.', 'consumer.', 'admin.']) {
      assert.equal(w[`${p}bootstrap.servers`], 'b1:9092,b2:9092', p)
      assert.equal(w[`${p}security.protocol`], 'SASL_SSL', p)
      assert.equal(w[`${p}sasl.mechanism`], 'SCRAM-SHA-512', p)
      assert.equal(w[`${p}ssl.truststore.location`], '/ca.pem', p)
    }
    assert.equal(w['sasl.jaas.config'], jaas)
    assert.equal(w['consumer.sasl.jaas.config'], jaas)
    assert.equal(w['producer.sasl.jaas.config'], 'producer-own', 'a B.producer.* setting wins over the copied one')
    assert.ok(!Object.values(w).includes('SSL'), 'nothing of A reaches the worker')
  })

  it('refuses --clusters naming no cluster, and a file with no enabled flow for the driven clusters', () => {
    assert.throws(() => planDistributedMirror(base, { clusters: ['C'] }), /--clusters names C, not in clusters \(A, B\)/)
    assert.throws(() => planDistributedMirror(base, { clusters: ['A'] }), /no replication flow to run.*--clusters A/)
  })
})
