// connections.max.idle.ms: the broker closes connections on which nothing was read or written
// for that long, but never one that still owes a response (a long poll, a parked JoinGroup).
import assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { parseBrokerConfig } from '../../../core/server/broker-config'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { WireClient } from './wire-client'

const IDLE_MS = 300

describe('core/server connections.max.idle.ms', () => {
  let tc: TestCluster
  before(async () => { tc = await startTestCluster({ config: { 'connections.max.idle.ms': String(IDLE_MS) } }) })
  after(async () => { await tc.stop() })

  it("defaults to Kafka's 10 minutes and accepts -1 (never close)", () => {
    assert.equal(parseBrokerConfig({})['connections.max.idle.ms'], 600000)
    assert.equal(parseBrokerConfig({ 'connections.max.idle.ms': '-1' })['connections.max.idle.ms'], -1)
    assert.throws(() => parseBrokerConfig({ 'connections.max.idle.ms': '-2' }), /connections\.max\.idle\.ms/)
  })

  it('closes a connection that stays idle, and keeps serving new ones', async () => {
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const res = await c.request(ApiKey.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' })
      assert.equal(res.errorCode, ErrorCode.NONE)
      assert.equal(await c.waitClosed(20_000), true, 'the broker closed the idle connection')
    } finally {
      c.close()
    }
    const again = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const res = await again.request(ApiKey.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' })
      assert.equal(res.errorCode, ErrorCode.NONE)
    } finally {
      again.close()
    }
  })

  it('does not close a connection while a request on it is still being served', async () => {
    const topic = uniqueName('idle-long-poll')
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      assert.equal(await c.createTopic(topic), ErrorCode.NONE)
      // A long poll on an empty partition waits maxWaitMs (several idle periods) before answering.
      const res = await c.request(ApiKey.Fetch, 4, {
        replicaId: -1, maxWaitMs: IDLE_MS * 5, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [], rackId: '',
      })
      assert.equal(res.responses[0].partitions[0].errorCode, ErrorCode.NONE)
      assert.equal(res.responses[0].partitions[0].highWatermark, 0)
      assert.equal(await c.waitClosed(20_000), true, 'once answered and quiet, the connection is idle again')
    } finally {
      c.close()
    }
  })
})
