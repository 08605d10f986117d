import * as assert from 'node:assert/strict'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { GroupCoordinator, InMemoryOffsetLog, type OffsetCommitRequest } from '../../../core/group'
import { flush, formGroup, joinReq, startCoordinator, subscription, type Harness } from './harness'

const MINUTE = 60_000

function commitReq(groupId: string, offsets: Record<string, number[]>, over: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest {
  return {
    groupId, generationId: -1, memberId: '', groupInstanceId: null,
    topics: Object.entries(offsets).map(([name, os]) => ({
      name, partitions: os.map((o, i) => ({ partitionIndex: i, committedOffset: o, committedMetadata: `m${o}` })),
    })),
    ...over,
  }
}

const codes = (r: { topics: { partitions: { errorCode: number }[] }[] }) => r.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))

describe('core/group committed offsets', () => {
  let h: Harness
  beforeEach(async () => { h = await startCoordinator() })
  afterEach(() => h.gc.close())

  it('a standalone commit creates the group; fetch returns what was committed and -1 for the rest', async () => {
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('g', { orders: [10, 20] }))), [0, 0])
    const some = await h.gc.fetchOffsets({ groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [1, 2] }, { name: 'other', partitionIndexes: [0] }] })
    assert.equal(some.errorCode, ErrorCode.NONE)
    assert.deepEqual(some.topics, [
      { name: 'orders', partitions: [
        { partitionIndex: 1, committedOffset: 20, committedLeaderEpoch: -1, metadata: 'm20', errorCode: 0 },
        { partitionIndex: 2, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
      ] },
      { name: 'other', partitions: [{ partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] },
    ])
    const all = await h.gc.fetchOffsets({ groupId: 'g', topics: null })
    assert.deepEqual(all.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)]), [['orders', [10, 20]]])
    assert.deepEqual((await h.gc.fetchOffsets({ groupId: 'nobody', topics: null })).topics, [])
    const [listed] = (await h.gc.listGroups()).groups
    assert.deepEqual(listed, { groupId: 'g', protocolType: '', groupState: 'Empty' })
  })

  it('members commit with their generation; stale or unknown committers are refused', async () => {
    const { members } = await formGroup(h, 'g', 2)
    const m0 = { generationId: 1, memberId: members[0].memberId }
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('g', { orders: [5] }, m0))), [0])
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('g', { orders: [6] }, { ...m0, generationId: 0 }))), [ErrorCode.ILLEGAL_GENERATION])
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('g', { orders: [6] }, { ...m0, memberId: 'x' }))), [ErrorCode.UNKNOWN_MEMBER_ID])
    // A standalone commit while the group has members is refused as Kafka does.
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('g', { orders: [7] }))), [ErrorCode.UNKNOWN_MEMBER_ID])
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('unknown', { orders: [1] }, { generationId: 3, memberId: 'm' }))), [ErrorCode.ILLEGAL_GENERATION])
    // Metadata over offset.metadata.max.bytes fails only that partition.
    const big = commitReq('g', { orders: [8, 9] }, m0)
    big.topics[0].partitions[1].committedMetadata = 'x'.repeat(4097)
    assert.deepEqual(codes(await h.gc.commitOffsets(big)), [0, ErrorCode.OFFSET_METADATA_TOO_LARGE])
    const fetched = await h.gc.fetchOffsets({ groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] })
    assert.deepEqual(fetched.topics[0].partitions.map((p) => p.committedOffset), [8, -1])
  })

  it('commits during the sync phase get REBALANCE_IN_PROGRESS; a failing log gets COORDINATOR_NOT_AVAILABLE', async () => {
    const joins = [h.gc.joinGroup(joinReq('g'))]
    h.clock.advance(0)
    const [m] = await Promise.all(joins)
    const req = commitReq('g', { orders: [1] }, { generationId: 1, memberId: m.memberId })
    assert.deepEqual(codes(await h.gc.commitOffsets(req)), [ErrorCode.REBALANCE_IN_PROGRESS])
    await h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: m.memberId, groupInstanceId: null, assignments: [] })
    h.log.failAppends = new Error('disk gone')
    assert.deepEqual(codes(await h.gc.commitOffsets(req)), [ErrorCode.COORDINATOR_NOT_AVAILABLE])
    assert.equal((await h.gc.fetchOffsets({ groupId: 'g', topics: null })).topics.length, 0, 'nothing committed when the log refused it')
  })

  it('offsets of an Empty consumer group expire offsets.retention.minutes after its last member left', async () => {
    h.gc.close()
    h = await startCoordinator({ 'offsets.retention.minutes': 10, 'offsets.retention.check.interval.ms': MINUTE })
    const { members } = await formGroup(h, 'g', 1, { sessionTimeoutMs: 2 * MINUTE })
    await h.gc.commitOffsets(commitReq('g', { orders: [3] }, { generationId: 1, memberId: members[0].memberId }))
    // Twenty minutes of a live group: nothing expires while it subscribes to the topic.
    for (let i = 0; i < 20; i++) {
      h.clock.advance(MINUTE)
      await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[0].memberId, groupInstanceId: null })
    }
    await h.gc.leaveGroup('g', [{ memberId: members[0].memberId, groupInstanceId: null }])
    h.clock.advance(9 * MINUTE)
    await h.gc.expireOffsets()
    assert.equal((await h.gc.fetchOffsets({ groupId: 'g', topics: null })).topics.length, 1, 'kept 9 minutes after the group emptied')
    h.clock.advance(MINUTE)
    await flush()
    assert.equal((await h.gc.fetchOffsets({ groupId: 'g', topics: null })).topics.length, 0)
    assert.equal(h.gc.groupState('g'), undefined, 'an empty group with no offsets is removed')
    assert.deepEqual(h.log.records.slice(-2).map((r) => r.value), [null, null], 'tombstones for the offset and the group')
  })

  it('standalone offsets expire per partition from their commit, on the periodic check', async () => {
    h.gc.close()
    h = await startCoordinator({ 'offsets.retention.minutes': 10, 'offsets.retention.check.interval.ms': MINUTE })
    await h.gc.commitOffsets(commitReq('g', { a: [1] }))
    h.clock.advance(5 * MINUTE)
    await h.gc.commitOffsets(commitReq('g', { b: [2] }))
    h.clock.advance(5 * MINUTE)
    await flush()
    const left = await h.gc.fetchOffsets({ groupId: 'g', topics: null })
    assert.deepEqual(left.topics.map((t) => t.name), ['b'])
  })

  it('a commit with a retention time (OffsetCommit v2-v4) expires at that time and keeps it across a reload', async () => {
    h.gc.close()
    h = await startCoordinator({ 'offsets.retention.check.interval.ms': MINUTE })
    await h.gc.commitOffsets(commitReq('g', { short: [1] }, { retentionTimeMs: 2 * MINUTE }))
    await h.gc.commitOffsets(commitReq('g', { long: [2] }))
    h.gc.close()
    h = await startCoordinator({ 'offsets.retention.check.interval.ms': MINUTE }, h.log, h.clock)
    h.clock.advance(2 * MINUTE)
    await flush()
    assert.deepEqual((await h.gc.fetchOffsets({ groupId: 'g', topics: null })).topics.map((t) => t.name), ['long'])
  })

  it('committed offsets and group metadata survive a reload from the log', async () => {
    const { members } = await formGroup(h, 'g', 2)
    await h.gc.commitOffsets(commitReq('g', { orders: [41, 42] }, { generationId: 1, memberId: members[0].memberId }))
    await h.gc.commitOffsets(commitReq('g', { orders: [43] }, { generationId: 1, memberId: members[0].memberId }))
    await h.gc.commitOffsets(commitReq('simple', { t: [7] }))
    await h.gc.commitOffsets(commitReq('gone', { t: [1] }))
    assert.deepEqual(await h.gc.deleteGroups(['gone']), [{ groupId: 'gone', errorCode: 0 }])
    h.gc.close()

    const reloaded = await startCoordinator({}, h.log, h.clock)
    try {
      const fetched = await reloaded.gc.fetchOffsets({ groupId: 'g', topics: null })
      assert.deepEqual(fetched.topics[0].partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata]), [[0, 43, 'm43'], [1, 42, 'm42']])
      assert.equal((await reloaded.gc.fetchOffsets({ groupId: 'simple', topics: null })).topics[0].partitions[0].committedOffset, 7)
      assert.equal(reloaded.gc.groupState('gone'), undefined)
      // Members come back in their generation and keep it by heartbeating.
      const [d] = await reloaded.gc.describeGroups(['g'])
      assert.equal(d.groupState, 'Stable')
      assert.equal(d.protocolData, 'range')
      assert.deepEqual(d.members.map((m) => m.memberId), members.map((m) => m.memberId))
      assert.equal(await reloaded.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[0].memberId, groupInstanceId: null }), ErrorCode.NONE)
      reloaded.clock.advance(5_000)
      await reloaded.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[0].memberId, groupInstanceId: null })
      reloaded.clock.advance(5_000)
      assert.equal(reloaded.gc.groupState('g'), 'PreparingRebalance', 'the silent member expired')
    } finally {
      reloaded.gc.close()
    }
  })

  it('a deleted topic takes its committed offsets with it in every group, also across a reload (as Kafka)', async () => {
    const { members } = await formGroup(h, 'g', 1)
    await h.gc.commitOffsets(commitReq('g', { orders: [41, 42], payments: [5] }, { generationId: 1, memberId: members[0].memberId }))
    await h.gc.commitOffsets(commitReq('only-orders', { orders: [7] }))
    await h.gc.commitOffsets(commitReq('other', { payments: [9] }))
    await h.gc.deleteTopicOffsets(['orders'])
    const offsetsOf = async (gc: GroupCoordinator, groupId: string) =>
      (await gc.fetchOffsets({ groupId, topics: null })).topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])
    assert.deepEqual(await offsetsOf(h.gc, 'g'), [['payments', [5]]])
    assert.deepEqual(await offsetsOf(h.gc, 'other'), [['payments', [9]]])
    // A group left Empty with no offsets goes away, as after offset expiry.
    assert.equal(h.gc.groupState('only-orders'), undefined)
    assert.equal(h.gc.groupState('g'), 'Stable', 'a live group keeps its members')
    h.gc.close()

    const reloaded = await startCoordinator({}, h.log, h.clock)
    try {
      assert.deepEqual(await offsetsOf(reloaded.gc, 'g'), [['payments', [5]]])
      assert.equal(reloaded.gc.groupState('only-orders'), undefined)
    } finally {
      reloaded.gc.close()
    }
  })

  it('answers COORDINATOR_LOAD_IN_PROGRESS until load() finishes', async () => {
    const gc = new GroupCoordinator({ offsetLog: new InMemoryOffsetLog() })
    assert.equal((await gc.joinGroup(joinReq('g'))).errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
    assert.equal((await gc.fetchOffsets({ groupId: 'g', topics: null })).errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
    await gc.load()
    assert.equal((await gc.fetchOffsets({ groupId: 'g', topics: null })).errorCode, ErrorCode.NONE)
    gc.close()
  })

  it('DeleteGroups: Empty groups go with their offsets; active groups are NON_EMPTY_GROUP; unknown ones GROUP_ID_NOT_FOUND', async () => {
    await formGroup(h, 'active', 1)
    await h.gc.commitOffsets(commitReq('idle', { orders: [1] }))
    const res = await h.gc.deleteGroups(['idle', 'active', 'never', 'idle'])
    assert.deepEqual(res.map((r) => r.errorCode), [ErrorCode.NONE, ErrorCode.NON_EMPTY_GROUP, ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.GROUP_ID_NOT_FOUND])
    assert.deepEqual((await h.gc.fetchOffsets({ groupId: 'idle', topics: [{ name: 'orders', partitionIndexes: [0] }] })).topics[0].partitions[0].committedOffset, -1)
    assert.deepEqual((await h.gc.listGroups()).groups.map((g) => g.groupId), ['active'])
  })

  it('OffsetDelete refuses topics an active consumer group subscribes to and deletes the rest', async () => {
    const { members } = await formGroup(h, 'g', 1, { protocols: [{ name: 'range', metadata: subscription('orders', 'audit') }] })
    await h.gc.commitOffsets(commitReq('g', { orders: [1], audit: [2], old: [3, 4] }, { generationId: 1, memberId: members[0].memberId }))
    const res = await h.gc.deleteOffsets({ groupId: 'g', topics: [
      { name: 'orders', partitions: [{ partitionIndex: 0 }] },
      { name: 'old', partitions: [{ partitionIndex: 0 }, { partitionIndex: 1 }] },
    ] })
    assert.equal(res.errorCode, ErrorCode.NONE)
    assert.deepEqual(res.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]), [['orders', [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC]], ['old', [0, 0]]])
    const left = await h.gc.fetchOffsets({ groupId: 'g', topics: null })
    assert.deepEqual(left.topics.map((t) => t.name).sort(), ['audit', 'orders'])
    assert.equal((await h.gc.deleteOffsets({ groupId: 'nope', topics: [] })).errorCode, ErrorCode.GROUP_ID_NOT_FOUND)
    // Once the group is empty every topic's offsets may go.
    await h.gc.leaveGroup('g', [{ memberId: members[0].memberId, groupInstanceId: null }])
    const after = await h.gc.deleteOffsets({ groupId: 'g', topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }] }] })
    assert.deepEqual(after.topics[0].partitions.map((p) => p.errorCode), [0])
  })

  it('OffsetDelete on an active group of another protocol type is NON_EMPTY_GROUP; empty group ids are INVALID_GROUP_ID', async () => {
    const { members } = await formGroup(h, 'workers', 1, { protocolType: 'connect', protocols: [{ name: 'sessioned', metadata: Buffer.from('x') }] })
    await h.gc.commitOffsets(commitReq('workers', { t: [1] }, { generationId: 1, memberId: members[0].memberId }))
    const res = await h.gc.deleteOffsets({ groupId: 'workers', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }] })
    assert.equal(res.errorCode, ErrorCode.NON_EMPTY_GROUP)
    assert.equal((await h.gc.fetchOffsets({ groupId: 'workers', topics: null })).topics.length, 1, 'nothing deleted')
    assert.equal((await h.gc.deleteOffsets({ groupId: '', topics: [] })).errorCode, ErrorCode.INVALID_GROUP_ID)
    assert.deepEqual(codes(await h.gc.commitOffsets(commitReq('', { t: [1] }))), [ErrorCode.INVALID_GROUP_ID])
    assert.deepEqual(await h.gc.deleteGroups(['']), [{ groupId: '', errorCode: ErrorCode.INVALID_GROUP_ID }])
    assert.equal(await h.gc.heartbeat({ groupId: '', generationId: 1, memberId: 'm', groupInstanceId: null }), ErrorCode.INVALID_GROUP_ID)
  })

  it('DescribeGroups reports state, protocol and members as Kafka does; unknown groups are Dead', async () => {
    const { members } = await formGroup(h, 'g', 2)
    const [d, unknown] = await h.gc.describeGroups(['g', 'nope'])
    assert.equal(d.groupState, 'Stable')
    assert.equal(d.protocolType, 'consumer')
    assert.equal(d.protocolData, 'range')
    assert.deepEqual(d.members.map((m) => [m.memberId, m.clientId, m.clientHost]), members.map((m, i) => [m.memberId, `c${i}`, '/127.0.0.1']))
    assert.ok(d.members[0].memberAssignment.length > 0)
    assert.deepEqual(unknown, { errorCode: 0, groupId: 'nope', groupState: 'Dead', protocolType: '', protocolData: '', members: [] })
    void h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId }))
    const [rebalancing] = await h.gc.describeGroups(['g'])
    assert.equal(rebalancing.groupState, 'PreparingRebalance')
    assert.equal(rebalancing.protocolData, '')
    assert.equal(rebalancing.members[0].memberMetadata.length, 0)
  })
})
