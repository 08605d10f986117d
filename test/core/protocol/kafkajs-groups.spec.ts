import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { kafkajsRequestToOurs, ourResponseToKafkajs, range, throttle } from './helpers/kafkajs-oracle'

const META = Buffer.from([0, 1, 0, 0, 0, 1, 0, 1, 0x74])
const ASSIGN = Buffer.from([0, 1, 2, 3])

describe('core/protocol vs kafkajs: group APIs', () => {
  for (const v of range(0, 5)) {
    it(`JoinGroup v${v}`, async () => {
      const body = await kafkajsRequestToOurs('joinGroup', v, ApiKey.JoinGroup, {
        groupId: 'g', sessionTimeout: 10000, rebalanceTimeout: 60000, memberId: '', groupInstanceId: 'inst-1',
        protocolType: 'consumer', groupProtocols: [{ name: 'RoundRobinAssigner', metadata: META }],
      })
      assert.deepEqual(body, {
        groupId: 'g', sessionTimeoutMs: 10000, rebalanceTimeoutMs: v >= 1 ? 60000 : -1, memberId: '',
        groupInstanceId: v >= 5 ? 'inst-1' : null, protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata: META }],
      })
      const decoded = await ourResponseToKafkajs('joinGroup', v, ApiKey.JoinGroup, {
        throttleTimeMs: 3, errorCode: 0, generationId: 7, protocolName: 'RoundRobinAssigner', leader: 'm-1', memberId: 'm-2',
        members: [{ memberId: 'm-1', groupInstanceId: null, metadata: META }],
      })
      const member: Record<string, unknown> = { memberId: 'm-1', memberMetadata: META }
      if (v >= 5) member.groupInstanceId = null
      const expected: Record<string, unknown> = { errorCode: 0, generationId: 7, groupProtocol: 'RoundRobinAssigner', leaderId: 'm-1', memberId: 'm-2', members: [member] }
      if (v >= 2) Object.assign(expected, throttle(v, 3, 3))
      assert.deepEqual(decoded, expected)
    })
  }

  for (const v of range(0, 3)) {
    it(`SyncGroup v${v}`, async () => {
      const body = await kafkajsRequestToOurs('syncGroup', v, ApiKey.SyncGroup, {
        groupId: 'g', generationId: 7, memberId: 'm-1', groupInstanceId: 'inst-1', groupAssignment: [{ memberId: 'm-1', memberAssignment: ASSIGN }],
      })
      assert.deepEqual(body, { groupId: 'g', generationId: 7, memberId: 'm-1', groupInstanceId: v >= 3 ? 'inst-1' : null, assignments: [{ memberId: 'm-1', assignment: ASSIGN }] })
      const decoded = await ourResponseToKafkajs('syncGroup', v, ApiKey.SyncGroup, { throttleTimeMs: 1, errorCode: 0, assignment: ASSIGN })
      assert.deepEqual(decoded, { ...(v >= 1 ? throttle(v, 2, 1) : {}), errorCode: 0, memberAssignment: ASSIGN })
    })
  }

  for (const v of range(0, 3)) {
    it(`Heartbeat v${v}`, async () => {
      const body = await kafkajsRequestToOurs('heartbeat', v, ApiKey.Heartbeat, { groupId: 'g', groupGenerationId: 7, memberId: 'm-1', groupInstanceId: 'i' })
      assert.deepEqual(body, { groupId: 'g', generationId: 7, memberId: 'm-1', groupInstanceId: v >= 3 ? 'i' : null })
      const decoded = await ourResponseToKafkajs('heartbeat', v, ApiKey.Heartbeat, { throttleTimeMs: 2, errorCode: 27 })
      assert.deepEqual(decoded, { ...(v >= 1 ? throttle(v, 2, 2) : {}), errorCode: 27 })
    })
  }

  for (const v of range(0, 3)) {
    it(`LeaveGroup v${v}`, async () => {
      const args = v >= 3 ? { groupId: 'g', members: [{ memberId: 'm-1', groupInstanceId: 'i' }, { memberId: 'm-2' }] } : { groupId: 'g', memberId: 'm-1' }
      const body = await kafkajsRequestToOurs('leaveGroup', v, ApiKey.LeaveGroup, args)
      assert.deepEqual(body, v >= 3
        ? { groupId: 'g', memberId: '', members: [{ memberId: 'm-1', groupInstanceId: 'i' }, { memberId: 'm-2', groupInstanceId: null }] }
        : { groupId: 'g', memberId: 'm-1', members: [] })
      const decoded = await ourResponseToKafkajs('leaveGroup', v, ApiKey.LeaveGroup, {
        throttleTimeMs: 2, errorCode: 0, members: [{ memberId: 'm-1', groupInstanceId: 'i', errorCode: 0 }],
      })
      const expected: Record<string, unknown> = { ...(v >= 1 ? throttle(v, 2, 2) : {}), errorCode: 0 }
      if (v >= 3) expected.members = [{ memberId: 'm-1', groupInstanceId: 'i', errorCode: 0 }]
      assert.deepEqual(decoded, expected)
    })
  }

  for (const v of range(2, 5)) {
    it(`OffsetCommit v${v}`, async () => {
      const body = await kafkajsRequestToOurs('offsetCommit', v, ApiKey.OffsetCommit, {
        groupId: 'g', groupGenerationId: 7, memberId: 'm-1', retentionTime: 86400000,
        topics: [{ topic: 't', partitions: [{ partition: 0, offset: '1099511627776', metadata: 'meta' }, { partition: 1, offset: '5' }] }],
      })
      assert.deepEqual(body, {
        groupId: 'g', generationIdOrMemberEpoch: 7, memberId: 'm-1', groupInstanceId: null, retentionTimeMs: v <= 4 ? 86400000 : -1,
        topics: [{ name: 't', partitions: [
          { partitionIndex: 0, committedOffset: 2 ** 40, committedLeaderEpoch: -1, committedMetadata: 'meta' },
          { partitionIndex: 1, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: null },
        ] }],
      })
      const decoded = await ourResponseToKafkajs('offsetCommit', v, ApiKey.OffsetCommit, {
        throttleTimeMs: 6, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 22 }] }],
      })
      const responses = [{ topic: 't', partitions: [{ partition: 0, errorCode: 0 }, { partition: 1, errorCode: 22 }] }]
      assert.deepEqual(decoded, v >= 3 ? { ...throttle(v, 4, 6), responses } : { responses })
    })
  }

  for (const v of range(1, 4)) {
    it(`OffsetFetch v${v}`, async () => {
      const body = await kafkajsRequestToOurs('offsetFetch', v, ApiKey.OffsetFetch, { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 3 }] }] })
      assert.deepEqual(body, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 3] }] })
      const decoded = await ourResponseToKafkajs('offsetFetch', v, ApiKey.OffsetFetch, {
        throttleTimeMs: 1, errorCode: 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: null, errorCode: 0 }, { partitionIndex: 3, committedOffset: -1, metadata: '', errorCode: 0 }] }],
      })
      const responses = [{ topic: 't', partitions: [{ partition: 0, offset: '42', metadata: null, errorCode: 0 }, { partition: 3, offset: '-1', metadata: '', errorCode: 0 }] }]
      const expected: Record<string, unknown> = { responses }
      if (v >= 2) expected.errorCode = 0
      if (v >= 3) Object.assign(expected, throttle(v, 4, 1))
      assert.deepEqual(decoded, expected)
    })
  }

  for (const v of range(0, 2)) {
    it(`FindCoordinator v${v}`, async () => {
      const args = v === 0 ? { groupId: 'g' } : { coordinatorKey: 'tx-1', coordinatorType: 1 }
      const body = await kafkajsRequestToOurs('findCoordinator', v, ApiKey.FindCoordinator, args)
      assert.deepEqual(body, v === 0 ? { key: 'g', keyType: 0 } : { key: 'tx-1', keyType: 1 })
      const decoded = await ourResponseToKafkajs('findCoordinator', v, ApiKey.FindCoordinator, {
        throttleTimeMs: 4, errorCode: 0, errorMessage: null, nodeId: 2, host: 'broker-2', port: 9093,
      })
      const coordinator = { nodeId: 2, host: 'broker-2', port: 9093 }
      assert.deepEqual(decoded, v === 0 ? { errorCode: 0, coordinator } : { ...throttle(v, 2, 4), errorCode: 0, errorMessage: null, coordinator })
    })
  }

  for (const v of range(0, 2)) {
    it(`DescribeGroups v${v}`, async () => {
      assert.deepEqual(await kafkajsRequestToOurs('describeGroups', v, ApiKey.DescribeGroups, { groupIds: ['g1', 'g2'] }), { groups: ['g1', 'g2'] })
      const member = { memberId: 'm-1', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: META, memberAssignment: ASSIGN }
      const decoded = await ourResponseToKafkajs('describeGroups', v, ApiKey.DescribeGroups, {
        throttleTimeMs: 8, groups: [{ errorCode: 0, groupId: 'g1', groupState: 'Stable', protocolType: 'consumer', protocolData: 'RoundRobinAssigner', members: [member] }],
      })
      const groups = [{ errorCode: 0, groupId: 'g1', state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner', members: [member] }]
      assert.deepEqual(decoded, v >= 1 ? { ...throttle(v, 2, 8), groups } : { groups })
    })
  }

  for (const v of range(0, 2)) {
    it(`ListGroups v${v}`, async () => {
      assert.deepEqual(await kafkajsRequestToOurs('listGroups', v, ApiKey.ListGroups, {}), {})
      const groups = [{ groupId: 'g1', protocolType: 'consumer' }, { groupId: 'connect-x', protocolType: 'connect' }]
      const decoded = await ourResponseToKafkajs('listGroups', v, ApiKey.ListGroups, { throttleTimeMs: 5, errorCode: 0, groups })
      assert.deepEqual(decoded, v >= 1 ? { ...throttle(v, 2, 5), errorCode: 0, groups } : { errorCode: 0, groups })
    })
  }

  for (const v of range(0, 1)) {
    it(`DeleteGroups v${v}`, async () => {
      assert.deepEqual(await kafkajsRequestToOurs('deleteGroups', v, ApiKey.DeleteGroups, ['g1', 'g2']), { groupsNames: ['g1', 'g2'] })
      const decoded = await ourResponseToKafkajs('deleteGroups', v, ApiKey.DeleteGroups, {
        throttleTimeMs: 3, results: [{ groupId: 'g1', errorCode: 0 }, { groupId: 'g2', errorCode: 69 }],
      })
      assert.equal(decoded.throttleTimeMs, 3)
      assert.deepEqual(decoded.results.map((r: { groupId: string; errorCode: number }) => [r.groupId, r.errorCode]), [['g1', 0], ['g2', 69]])
      assert.equal(decoded.results[1].error.type, 'GROUP_ID_NOT_FOUND')
    })
  }
})
