import * as assert from 'node:assert/strict'
import { AssignerProtocol } from 'kafkajs'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { assignment, flush, formGroup, joinReq, pending, settled, startCoordinator, subscription, type Harness } from './harness'

describe('core/group join and sync', () => {
  let h: Harness
  beforeEach(async () => { h = await startCoordinator() })
  afterEach(() => h.gc.close())

  it('forms a group of three: one leader who sees every member, one generation, each member gets its own assignment', async () => {
    const joins = [0, 1, 2].map((i) => h.gc.joinGroup(joinReq('g', { clientId: `c${i}` })))
    h.clock.advance(0)
    const results = await Promise.all(joins)
    assert.deepEqual(results.map((r) => r.errorCode), [0, 0, 0])
    assert.deepEqual(new Set(results.map((r) => r.generationId)), new Set([1]))
    assert.deepEqual(new Set(results.map((r) => r.leader)), new Set([results[0].memberId]), 'the first to join leads')
    assert.equal(new Set(results.map((r) => r.memberId)).size, 3)
    assert.ok(results[0].memberId.startsWith('c0-'), 'member ids start with the client id')
    assert.equal(results[0].protocolName, 'range')
    assert.deepEqual(results[0].members.map((m) => m.memberId), results.map((r) => r.memberId))
    assert.deepEqual(AssignerProtocol.MemberMetadata.decode(results[0].members[1].metadata)?.topics, ['orders'])
    assert.deepEqual(results[1].members, [], 'followers get no member list')
    assert.equal(h.gc.groupState('g'), 'CompletingRebalance')

    // Followers park in SyncGroup until the leader sends the assignment.
    const follower = h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: results[1].memberId, groupInstanceId: null, assignments: [] })
    await pending(follower, 'follower SyncGroup')
    const leader = await h.gc.syncGroup({
      groupId: 'g', generationId: 1, memberId: results[0].memberId, groupInstanceId: null,
      assignments: results.map((r, i) => ({ memberId: r.memberId, assignment: assignment({ orders: [i] }) })),
    })
    assert.equal(leader.errorCode, ErrorCode.NONE)
    assert.deepEqual(AssignerProtocol.MemberAssignment.decode(leader.assignment)?.assignment, { orders: [0] })
    const f = await settled(follower)
    assert.deepEqual(AssignerProtocol.MemberAssignment.decode(f.assignment)?.assignment, { orders: [1] })
    assert.equal(h.gc.groupState('g'), 'Stable')
    // A late follower in Stable gets its assignment straight away.
    const late = await h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: results[2].memberId, groupInstanceId: null, assignments: [] })
    assert.deepEqual(AssignerProtocol.MemberAssignment.decode(late.assignment)?.assignment, { orders: [2] })
    assert.equal(late.protocolName, 'range')
  })

  it('a member leaving makes the others rejoin into the next generation without it', async () => {
    const { members } = await formGroup(h, 'g', 3)
    const left = await h.gc.leaveGroup('g', [{ memberId: members[0].memberId, groupInstanceId: null }])
    assert.deepEqual(left.members.map((m) => m.errorCode), [ErrorCode.NONE])
    assert.equal(h.gc.groupState('g'), 'PreparingRebalance')
    // The others learn of the rebalance through their heartbeats.
    assert.equal(await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[1].memberId, groupInstanceId: null }), ErrorCode.REBALANCE_IN_PROGRESS)
    const rejoin1 = h.gc.joinGroup(joinReq('g', { memberId: members[1].memberId }))
    await pending(rejoin1, 'rejoin before all members are back')
    const rejoin2 = h.gc.joinGroup(joinReq('g', { memberId: members[2].memberId }))
    const [r1, r2] = await Promise.all([rejoin1, rejoin2])
    assert.equal(r1.generationId, 2)
    assert.equal(r1.leader, members[1].memberId, 'leadership passes to the next member')
    assert.deepEqual(r1.members.map((m) => m.memberId), [members[1].memberId, members[2].memberId])
    assert.equal(r2.leader, r1.leader)
    // The old generation is now illegal; the leaving member is unknown.
    assert.equal(await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[1].memberId, groupInstanceId: null }), ErrorCode.ILLEGAL_GENERATION)
    assert.equal(await h.gc.heartbeat({ groupId: 'g', generationId: 2, memberId: members[0].memberId, groupInstanceId: null }), ErrorCode.UNKNOWN_MEMBER_ID)
    assert.equal(await h.gc.heartbeat({ groupId: 'g', generationId: 2, memberId: members[1].memberId, groupInstanceId: null }), ErrorCode.NONE)
  })

  it('the last member leaving leaves the group Empty with its generation advanced', async () => {
    const { members } = await formGroup(h, 'g', 1)
    await h.gc.leaveGroup('g', [{ memberId: members[0].memberId, groupInstanceId: null }])
    assert.equal(h.gc.groupState('g'), 'Empty')
    const [d] = await h.gc.describeGroups(['g'])
    assert.equal(d.groupState, 'Empty')
    assert.equal(d.protocolType, 'consumer')
    assert.deepEqual(d.members, [])
  })

  it('MEMBER_ID_REQUIRED: a new member gets an id first and joins with it', async () => {
    const first = await h.gc.joinGroup(joinReq('g', { requireKnownMemberId: true, clientId: 'kafkajs' }))
    assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED)
    assert.match(first.memberId, /^kafkajs-[0-9a-f-]{36}$/)
    assert.equal(h.gc.groupState('g'), 'Empty', 'no rebalance for a member that has not joined yet')
    const second = h.gc.joinGroup(joinReq('g', { requireKnownMemberId: true, memberId: first.memberId }))
    h.clock.advance(0)
    const joined = await settled(second)
    assert.equal(joined.errorCode, ErrorCode.NONE)
    assert.equal(joined.memberId, first.memberId)
    assert.equal(joined.leader, first.memberId)
    assert.equal(joined.generationId, 1)
  })

  it('a reserved member id that never rejoins expires after the session timeout', async () => {
    const first = await h.gc.joinGroup(joinReq('g', { requireKnownMemberId: true }))
    h.clock.advance(10_000)
    const late = await h.gc.joinGroup(joinReq('g', { requireKnownMemberId: true, memberId: first.memberId }))
    assert.equal(late.errorCode, ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('the rebalance waits for a member holding a reserved id', async () => {
    const { members } = await formGroup(h, 'g', 1)
    const reserved = await h.gc.joinGroup(joinReq('g', { requireKnownMemberId: true }))
    assert.equal(reserved.errorCode, ErrorCode.MEMBER_ID_REQUIRED)
    const newcomer = h.gc.joinGroup(joinReq('g', { memberId: reserved.memberId }))
    const old = h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId }))
    const [n, o] = await Promise.all([newcomer, old])
    assert.equal(n.generationId, 2)
    assert.equal(o.members.length, 2)
  })

  it('a member holding a reserved id may leave before joining, which lets a waiting rebalance complete', async () => {
    const { members } = await formGroup(h, 'g', 1)
    const reserved = await h.gc.joinGroup(joinReq('g', { requireKnownMemberId: true }))
    const rejoin = h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId }))
    await pending(rejoin, 'JoinGroup waiting for the reserved member id')
    const left = await h.gc.leaveGroup('g', [{ memberId: reserved.memberId, groupInstanceId: null }])
    assert.equal(left.members[0].errorCode, ErrorCode.NONE)
    const r = await settled(rejoin)
    assert.equal(r.generationId, 2)
    assert.equal(r.members.length, 1)
  })

  it('picks the protocol most members prefer among those all support', async () => {
    const m = (names: string[]) => names.map((name) => ({ name, metadata: subscription('orders') }))
    const joins = [
      h.gc.joinGroup(joinReq('g', { protocols: m(['roundrobin', 'range']) })),
      h.gc.joinGroup(joinReq('g', { protocols: m(['range', 'roundrobin', 'sticky']) })),
      h.gc.joinGroup(joinReq('g', { protocols: m(['range', 'roundrobin']) })),
    ]
    h.clock.advance(0)
    const results = await Promise.all(joins)
    assert.deepEqual(results.map((r) => r.protocolName), ['range', 'range', 'range'])
  })

  it('refuses a member with no protocol in common, another protocol type, or a session timeout out of bounds', async () => {
    await formGroup(h, 'g', 1)
    const other = await h.gc.joinGroup(joinReq('g', { protocols: [{ name: 'sticky', metadata: subscription('orders') }] }))
    assert.equal(other.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    const connect = await h.gc.joinGroup(joinReq('g', { protocolType: 'connect' }))
    assert.equal(connect.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    const low = await h.gc.joinGroup(joinReq('g2', { sessionTimeoutMs: 5999 }))
    assert.equal(low.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT)
    const high = await h.gc.joinGroup(joinReq('g2', { sessionTimeoutMs: 1_800_001 }))
    assert.equal(high.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT)
    const empty = await h.gc.joinGroup(joinReq(''))
    assert.equal(empty.errorCode, ErrorCode.INVALID_GROUP_ID)
  })

  it('a known member, even a lone one, cannot rejoin with another protocol type (the group keeps its type, as in Kafka)', async () => {
    const { members } = await formGroup(h, 'g', 1)
    const rejoin = await h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId, protocolType: 'connect' }))
    assert.equal(rejoin.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    const [d] = await h.gc.describeGroups(['g'])
    assert.deepEqual([d.groupState, d.protocolType], ['Stable', 'consumer'])
  })

  it('group.max.size turns away members beyond the limit', async () => {
    h.gc.close()
    h = await startCoordinator({ 'group.max.size': 2 })
    await formGroup(h, 'g', 2)
    const third = await h.gc.joinGroup(joinReq('g'))
    assert.equal(third.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED)
    assert.equal(h.gc.groupState('g'), 'Stable')
  })

  it('a follower rejoining with unchanged metadata gets the current generation without a rebalance; the leader causes one', async () => {
    const { members } = await formGroup(h, 'g', 2)
    const again = await h.gc.joinGroup(joinReq('g', { memberId: members[1].memberId }))
    assert.equal(again.generationId, 1)
    assert.equal(h.gc.groupState('g'), 'Stable')
    const leaderRejoin = h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId }))
    assert.equal(h.gc.groupState('g'), 'PreparingRebalance')
    const followerRejoin = h.gc.joinGroup(joinReq('g', { memberId: members[1].memberId }))
    assert.equal((await leaderRejoin).generationId, 2)
    assert.equal((await followerRejoin).generationId, 2)
  })

  it('SyncGroup errors: unknown member, wrong generation, during a rebalance, protocol mismatch', async () => {
    const { members } = await formGroup(h, 'g', 2)
    const sync = (over: object) => h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: members[1].memberId, groupInstanceId: null, assignments: [], ...over })
    assert.equal((await sync({ memberId: 'nobody' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID)
    assert.equal((await sync({ generationId: 7 })).errorCode, ErrorCode.ILLEGAL_GENERATION)
    assert.equal((await sync({ protocolName: 'roundrobin' })).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    assert.equal((await sync({ groupId: 'nope' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID)
    void h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId }))
    assert.equal((await sync({})).errorCode, ErrorCode.REBALANCE_IN_PROGRESS)
  })

  it('a rebalance starting while followers wait in SyncGroup answers them REBALANCE_IN_PROGRESS', async () => {
    const joins = [0, 1].map(() => h.gc.joinGroup(joinReq('g')))
    h.clock.advance(0)
    const [, follower] = await Promise.all(joins)
    const waiting = h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null, assignments: [] })
    void h.gc.joinGroup(joinReq('g'))
    await flush()
    assert.equal((await settled(waiting)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS)
  })

  it('close() answers requests still parked in JoinGroup and SyncGroup with NOT_COORDINATOR and stops every timer', async () => {
    const { members } = await formGroup(h, 'g', 2)
    const parked = h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId }))
    await pending(parked, 'JoinGroup waiting for the other member')
    h.gc.close()
    assert.equal((await settled(parked)).errorCode, ErrorCode.NOT_COORDINATOR)
    assert.equal(h.clock.pendingTimers, 0)
    assert.equal((await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[1].memberId, groupInstanceId: null })), ErrorCode.NOT_COORDINATOR)
  })
})
