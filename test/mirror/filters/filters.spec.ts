import assert from 'node:assert/strict'
import { ConfigPropertyFilter, groupFilter, topicFilter } from '../../../mirror/filters'
import { MirrorConnectorConfigDef } from '../../../mirror/config'

describe('mirror/filters', () => {
  const defaults = MirrorConnectorConfigDef.defaults()

  it('MM2 default topic filter: everything except internal, .replica and __ topics', () => {
    const f = topicFilter(defaults)
    for (const t of ['orders', 'A.orders', 'heartbeats']) assert.ok(f.accepts(t), t)
    for (const t of ['mm2-offset-syncs.B.internal', 'connect-offsets-internal', 'x.replica', '__consumer_offsets', 'A.checkpoints.internal']) assert.ok(!f.accepts(t), t)
  })

  it('regexes match whole names', () => {
    const f = topicFilter({ topics: ['orders', 'pay.*'], 'topics.exclude': ['pay-secret'] })
    assert.ok(f.accepts('orders') && f.accepts('payments'))
    assert.ok(!f.accepts('orders2') && !f.accepts('xorders') && !f.accepts('pay-secret'))
  })

  it('MM2 default group filter skips console consumers, connect and __ groups', () => {
    const g = groupFilter(defaults)
    assert.ok(g.accepts('billing'))
    for (const n of ['console-consumer-123', 'connect-file-sink', '__godwit-mm2-reader-1']) assert.ok(!g.accepts(n), n)
  })

  it('config property filter drops MM2\'s excluded topic configs', () => {
    const p = new ConfigPropertyFilter(defaults['config.properties.exclude'])
    assert.ok(p.accepts('retention.ms') && p.accepts('cleanup.policy') && p.accepts('compression.type'))
    for (const k of ['min.insync.replicas', 'message.timestamp.type', 'unclean.leader.election.enable', 'leader.replication.throttled.replicas']) assert.ok(!p.accepts(k), k)
  })
})
