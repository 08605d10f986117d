import assert from 'node:assert/strict'
import { DefaultReplicationPolicy, IdentityReplicationPolicy, isCycle, sourceChain, extendProvenance, readProvenance, wouldLoop, PROVENANCE_HEADER, createReplicationPolicy } from '../../../mirror/policy'

describe('mirror/policy', () => {
  const p = new DefaultReplicationPolicy()

  it('DefaultReplicationPolicy names remote topics <source>.<topic> and walks them back', () => {
    assert.equal(p.formatRemoteTopic('A', 'orders'), 'A.orders')
    assert.equal(p.topicSource('A.orders'), 'A')
    assert.equal(p.upstreamTopic('A.orders'), 'orders')
    assert.equal(p.topicSource('orders'), undefined)
    assert.equal(p.upstreamTopic('orders'), undefined)
    assert.equal(p.originalTopic('B.A.orders'), 'orders')
    assert.equal(p.upstreamTopic('B.A.orders'), 'A.orders')
  })

  it('honours replication.policy.separator, also in internal topic names', () => {
    const q = new DefaultReplicationPolicy({ separator: '__' })
    assert.equal(q.formatRemoteTopic('A', 'x.y'), 'A__x.y')
    assert.equal(q.topicSource('A__x.y'), 'A')
    assert.equal(q.originalTopic('B__A__x.y'), 'x.y')
    assert.equal(q.checkpointsTopic('A'), 'A__checkpoints__internal')
    assert.equal(q.offsetSyncsTopic('B'), 'mm2-offset-syncs__B__internal')
    const r = new DefaultReplicationPolicy({ separator: '__', internalTopicSeparatorEnabled: false })
    assert.equal(r.checkpointsTopic('A'), 'A.checkpoints.internal')
  })

  it('names MM2 internal topics and recognises internal topics by MM2 rules', () => {
    assert.equal(p.heartbeatsTopic(), 'heartbeats')
    assert.equal(p.offsetSyncsTopic('B'), 'mm2-offset-syncs.B.internal')
    assert.equal(p.checkpointsTopic('A'), 'A.checkpoints.internal')
    assert.ok(p.isHeartbeatsTopic('heartbeats') && p.isHeartbeatsTopic('A.heartbeats') && p.isHeartbeatsTopic('B.A.heartbeats'))
    assert.ok(!p.isHeartbeatsTopic('my-heartbeats'))
    assert.ok(p.isCheckpointsTopic('A.checkpoints.internal'))
    assert.ok(p.isMM2InternalTopic('mm2-offset-syncs.B.internal') && p.isMM2InternalTopic('mm2-configs.B.internal'))
    assert.ok(!p.isMM2InternalTopic('mm2-orders'))
    for (const t of ['__consumer_offsets', '.hidden', 'connect-offsets-internal', 'x.internal', 'mm2-status.A.internal', 'A.checkpoints.internal']) {
      assert.ok(p.isInternalTopic(t), t)
    }
    for (const t of ['orders', 'A.orders', 'heartbeats', 'internal-orders']) assert.ok(!p.isInternalTopic(t), t)
  })

  it('detects cycles: never back to a cluster the topic came from', () => {
    assert.deepEqual(sourceChain(p, 'B.A.orders'), ['B', 'A'])
    assert.ok(isCycle(p, 'A.orders', 'A'))
    assert.ok(isCycle(p, 'B.A.orders', 'A'))
    assert.ok(!isCycle(p, 'orders', 'A'))
    assert.ok(!isCycle(p, 'A.orders', 'C'))
  })

  it('IdentityReplicationPolicy keeps names, except heartbeats', () => {
    const id = new IdentityReplicationPolicy({ sourceClusterAlias: 'A' })
    assert.equal(id.formatRemoteTopic('A', 'orders'), 'orders')
    assert.equal(id.topicSource('orders'), 'A')
    assert.equal(id.upstreamTopic('orders'), 'orders')
    assert.equal(id.originalTopic('orders'), 'orders')
    assert.equal(id.formatRemoteTopic('A', 'heartbeats'), 'A.heartbeats')
    assert.equal(id.topicSource('A.heartbeats'), 'A')
    assert.equal(id.upstreamTopic('A.heartbeats'), 'heartbeats')
    assert.equal(new IdentityReplicationPolicy().topicSource('orders'), undefined)
    assert.ok(createReplicationPolicy('org.apache.kafka.connect.mirror.IdentityReplicationPolicy') instanceof IdentityReplicationPolicy)
  })

  it('provenance header lists every cluster a record has been written to', () => {
    assert.deepEqual(readProvenance(undefined), [])
    const v = extendProvenance([], 'A', 'B')
    assert.equal(v, 'A,B')
    const seen = readProvenance({ [PROVENANCE_HEADER]: Buffer.from(v) })
    assert.ok(wouldLoop(seen, 'A'))
    assert.ok(!wouldLoop(seen, 'C'))
    assert.equal(extendProvenance(seen, 'B', 'C'), 'A,B,C')
  })
})
