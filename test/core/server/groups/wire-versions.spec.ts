// Every supported version of every group API, spoken directly on the wire: a one-member group's
// whole life (find coordinator, join, sync, heartbeat, commit, fetch, describe, list, leave,
// delete offsets, delete group) per version, and NOT_COORDINATOR from the wrong node.
import assert from 'node:assert/strict'
import { AssignerProtocol } from 'kafkajs'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { ErrorCode } from '../../../../core/protocol/error-codes'
import { startTestCluster, type TestCluster } from '../../../helpers/cluster'
import { uniqueName } from '../../../helpers/unique'
import { WireClient } from '../wire-client'

const metadata = (topic: string) => AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [topic], userData: Buffer.alloc(0) })

describe('core/server groups: every API version on the wire', () => {
  let tc: TestCluster
  let topic: string
  before(async () => {
    tc = await startTestCluster({ nodes: 2 })
    topic = uniqueName('wire-grp')
    const admin = tc.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })
    await admin.disconnect()
  })
  after(async () => { await tc.stop() })

  /** A client connected to the group's coordinator, found with FindCoordinator of the given version. */
  async function coordinatorClient(groupId: string, findVersion: number): Promise<WireClient> {
    const boot = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const fc = await boot.request(ApiKey.FindCoordinator, findVersion, { key: groupId, keyType: 0 })
      assert.equal(fc.errorCode, ErrorCode.NONE)
      assert.equal(fc.nodeId, tc.cluster.state.coordinatorFor(groupId))
      return await WireClient.connect(`${fc.host}:${fc.port}`)
    } finally {
      boot.close()
    }
  }

  for (let v = 0; v <= 5; v++) {
    it(`JoinGroup v${v} with SyncGroup/Heartbeat/LeaveGroup/OffsetCommit/OffsetFetch/DescribeGroups/ListGroups at matching versions`, async () => {
      const groupId = uniqueName(`wire-v${v}`)
      const sv = Math.min(v, 3)
      const c = await coordinatorClient(groupId, Math.min(v, 2))
      try {
        const join = { groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: metadata(topic) }] }
        let j = await c.request(ApiKey.JoinGroup, v, join)
        if (v >= 4) {
          assert.equal(j.errorCode, ErrorCode.MEMBER_ID_REQUIRED, 'v4+ hands out a member id first')
          j = await c.request(ApiKey.JoinGroup, v, { ...join, memberId: j.memberId })
        }
        assert.equal(j.errorCode, ErrorCode.NONE)
        assert.equal(j.generationId, 1)
        assert.equal(j.leader, j.memberId)
        assert.equal(j.protocolName, 'range')
        assert.equal(j.members.length, 1)
        assert.ok(j.members[0].metadata.equals(metadata(topic)))
        const mine = AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { [topic]: [0, 1] }, userData: Buffer.alloc(0) })
        const s = await c.request(ApiKey.SyncGroup, sv, { groupId, generationId: 1, memberId: j.memberId, groupInstanceId: null, assignments: [{ memberId: j.memberId, assignment: mine }] })
        assert.equal(s.errorCode, ErrorCode.NONE)
        assert.ok(s.assignment.equals(mine))
        assert.equal((await c.request(ApiKey.Heartbeat, sv, { groupId, generationId: 1, memberId: j.memberId, groupInstanceId: null })).errorCode, ErrorCode.NONE)
        assert.equal((await c.request(ApiKey.Heartbeat, sv, { groupId, generationId: 9, memberId: j.memberId, groupInstanceId: null })).errorCode, ErrorCode.ILLEGAL_GENERATION)

        const cv = v + 2 // OffsetCommit v2-v7
        const commit = await c.request(ApiKey.OffsetCommit, cv, {
          groupId, generationIdOrMemberEpoch: 1, memberId: j.memberId, groupInstanceId: null, retentionTimeMs: -1,
          topics: [
            { name: topic, partitions: [{ partitionIndex: 0, committedOffset: 10 + v, committedLeaderEpoch: 3, committedMetadata: `meta${v}` }, { partitionIndex: 7, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }] },
          ],
        })
        assert.deepEqual(commit.topics[0].partitions.map((p) => p.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION])

        const fv = v === 0 ? 1 : v // OffsetFetch v1-v5
        const fetched = await c.request(ApiKey.OffsetFetch, fv, { groupId, topics: [{ name: topic, partitionIndexes: [0, 1] }] })
        assert.deepEqual(fetched.topics[0].partitions.map((p) => [p.committedOffset, p.metadata, p.errorCode]), [[10 + v, `meta${v}`, 0], [-1, '', 0]])
        if (fv >= 5) assert.equal(fetched.topics[0].partitions[0].committedLeaderEpoch, cv >= 6 ? 3 : -1)
        if (fv >= 2) {
          const all = await c.request(ApiKey.OffsetFetch, fv, { groupId, topics: null })
          assert.equal(all.errorCode, ErrorCode.NONE)
          assert.deepEqual(all.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]), [[topic, [0]]])
        }

        const dv = Math.min(v, 2)
        const [d] = (await c.request(ApiKey.DescribeGroups, dv, { groups: [groupId] })).groups
        assert.deepEqual([d.errorCode, d.groupState, d.protocolType, d.protocolData, d.members.length], [0, 'Stable', 'consumer', 'range', 1])
        assert.ok(d.members[0].memberAssignment.equals(mine))
        const listed = (await c.request(ApiKey.ListGroups, dv, {})).groups
        assert.ok(listed.some((g) => g.groupId === groupId && g.protocolType === 'consumer'))

        // OffsetDelete v0 refuses the subscribed topic while the member is in the group.
        const od = await c.request(ApiKey.OffsetDelete, 0, { groupId, topics: [{ name: topic, partitions: [{ partitionIndex: 0 }] }] })
        assert.equal(od.topics[0].partitions[0].errorCode, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC)

        const leave = v >= 3
          ? await c.request(ApiKey.LeaveGroup, 3, { groupId, memberId: '', members: [{ memberId: j.memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] })
          : await c.request(ApiKey.LeaveGroup, v, { groupId, memberId: j.memberId, members: [] })
        assert.equal(leave.errorCode, ErrorCode.NONE)
        if (v >= 3) assert.deepEqual(leave.members?.map((m) => m.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID])
        if (v < 3) {
          const again = await c.request(ApiKey.LeaveGroup, v, { groupId, memberId: j.memberId, members: [] })
          assert.equal(again.errorCode, ErrorCode.UNKNOWN_MEMBER_ID, 'v0-2 carry the member error at the top level')
        }

        const od2 = await c.request(ApiKey.OffsetDelete, 0, { groupId, topics: [{ name: topic, partitions: [{ partitionIndex: 0 }] }] })
        assert.equal(od2.topics[0].partitions[0].errorCode, ErrorCode.NONE)
        const gone = await c.request(ApiKey.OffsetFetch, fv, { groupId, topics: [{ name: topic, partitionIndexes: [0] }] })
        assert.equal(gone.topics[0].partitions[0].committedOffset, -1)

        let unknown = uniqueName('none')
        while (tc.cluster.state.coordinatorFor(unknown) !== tc.cluster.state.coordinatorFor(groupId)) unknown = uniqueName('none')
        const del = await c.request(ApiKey.DeleteGroups, Math.min(v, 1), { groupsNames: [groupId, unknown] })
        assert.deepEqual(del.results.map((r) => r.errorCode), [ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND])
      } finally {
        c.close()
      }
    })
  }

  it('a node that does not coordinate the group answers NOT_COORDINATOR; transactions have no coordinator', async () => {
    const groupId = uniqueName('wire-wrong')
    const coordinatorId = tc.cluster.state.coordinatorFor(groupId)
    const other = tc.cluster.nodes.find((n) => n.nodeId !== coordinatorId)!
    const c = await WireClient.connect(`${other.host}:${other.port}`)
    try {
      const j = await c.request(ApiKey.JoinGroup, 5, { groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: metadata(topic) }] })
      assert.equal(j.errorCode, ErrorCode.NOT_COORDINATOR)
      const f = await c.request(ApiKey.OffsetFetch, 5, { groupId, topics: null })
      assert.equal(f.errorCode, ErrorCode.NOT_COORDINATOR)
      const txn = await c.request(ApiKey.FindCoordinator, 1, { key: 'tx', keyType: 1 })
      assert.equal(txn.errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE)
    } finally {
      c.close()
    }
  })
})
