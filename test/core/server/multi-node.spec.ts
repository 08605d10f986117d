// Three logical brokers in one process: leaders spread round-robin, requests to a non-leader get
// NOT_LEADER_OR_FOLLOWER, and clients that follow metadata produce and fetch everywhere.
import assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { encodeBatch } from '../../../core/protocol/records/record-codec'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { fetchRecords } from './read-back'
import { WireClient } from './wire-client'

describe('core/server multi-node', () => {
  let tc: TestCluster
  before(async () => { tc = await startTestCluster({ nodes: 3 }) })
  after(async () => { await tc.stop() })

  it('every node answers Metadata with all three brokers and the same leaders', async () => {
    const topic = uniqueName('multi')
    const seen: number[][] = []
    for (const hp of tc.bootstrapServers) {
      const c = await WireClient.connect(hp)
      try {
        const md = await c.request(ApiKey.Metadata, 6, { topics: [{ name: topic }], allowAutoTopicCreation: true })
        assert.deepEqual(md.brokers.map((b) => b.nodeId), [0, 1, 2])
        assert.equal(md.controllerId, 0)
        seen.push(md.topics[0].partitions.map((p) => p.leaderId))
      } finally {
        c.close()
      }
    }
    assert.deepEqual(seen[1], seen[0])
    assert.deepEqual(seen[2], seen[0])
  })

  it('a produce sent to a non-leader gets NOT_LEADER_OR_FOLLOWER; kafkajs routes to the leaders', async () => {
    const topic = uniqueName('routes')
    const admin = tc.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })
    await admin.disconnect()
    const leaders = [0, 1, 2].map((p) => tc.cluster.state.leaderFor(topic, p))
    assert.deepEqual([...leaders].sort(), [0, 1, 2])
    const wrong = tc.cluster.nodes.find((n) => n.nodeId !== leaders[0])!
    const c = await WireClient.connect(`${wrong.host}:${wrong.port}`)
    try {
      const res = await c.request(ApiKey.Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: 'x' }] }) }] }] })
      assert.equal(res.responses[0].partitionResponses[0].errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER)
    } finally {
      c.close()
    }
    const producer = tc.kafka().producer()
    await producer.connect()
    for (let p = 0; p < 3; p++) await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition: p, value: `p${p}-${i}` })) })
    await producer.disconnect()
    for (let p = 0; p < 3; p++) {
      const leader = tc.cluster.nodes.find((n) => n.nodeId === leaders[p])!
      const got = await fetchRecords(`${leader.host}:${leader.port}`, topic, p)
      assert.deepEqual(got.map((r) => r.value!.toString()), Array.from({ length: 10 }, (_, i) => `p${p}-${i}`))
    }
  })
})
