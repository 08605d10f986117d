import * as assert from 'node:assert/strict'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { formGroup, joinReq, pending, settled, startCoordinator, type Harness } from './harness'

describe('core/group timeouts', () => {
  let h: Harness | undefined
  afterEach(() => h?.gc.close())

  it('a member that stops heartbeating is removed after its session timeout and the group rebalances', async () => {
    h = await startCoordinator()
    const { members } = await formGroup(h, 'g', 2)
    const hb = (i: number, gen = 1) => h!.gc.heartbeat({ groupId: 'g', generationId: gen, memberId: members[i].memberId, groupInstanceId: null })
    // Member 0 keeps heartbeating; member 1 falls silent.
    h.clock.advance(6_000)
    assert.equal(await hb(0), ErrorCode.NONE)
    h.clock.advance(3_999)
    assert.equal(h.gc.groupState('g'), 'Stable', 'not expired one millisecond early')
    h.clock.advance(1)
    assert.equal(h.gc.groupState('g'), 'PreparingRebalance')
    assert.equal(await hb(1), ErrorCode.UNKNOWN_MEMBER_ID)
    assert.equal(await hb(0), ErrorCode.REBALANCE_IN_PROGRESS)
    const rejoin = await settled(h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId })))
    assert.equal(rejoin.generationId, 2)
    assert.deepEqual(rejoin.members.map((m) => m.memberId), [members[0].memberId])
  })

  it('members that do not rejoin within the rebalance timeout are dropped from the next generation', async () => {
    h = await startCoordinator()
    const { members } = await formGroup(h, 'g', 3, { rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 })
    const newcomer = h.gc.joinGroup(joinReq('g', { rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 }))
    const rejoin0 = h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId, rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 }))
    h.clock.advance(19_999)
    await pending(rejoin0, 'JoinGroup before the rebalance timeout')
    h.clock.advance(1)
    const [n, r0] = await Promise.all([newcomer, rejoin0])
    assert.equal(r0.generationId, 2)
    assert.deepEqual(new Set(r0.members.map((m) => m.memberId)), new Set([members[0].memberId, n.memberId]))
    assert.equal(await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: members[1].memberId, groupInstanceId: null }), ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('group.initial.rebalance.delay.ms holds the first rebalance; each join extends it up to the rebalance timeout', async () => {
    h = await startCoordinator({ 'group.initial.rebalance.delay.ms': 3000 })
    const a = h.gc.joinGroup(joinReq('g', { rebalanceTimeoutMs: 8000 }))
    h.clock.advance(2000)
    const b = h.gc.joinGroup(joinReq('g', { rebalanceTimeoutMs: 8000 }))
    h.clock.advance(1000)
    await pending(a, 'the first JoinGroup while another member joined during the delay')
    h.clock.advance(2000)
    const c = h.gc.joinGroup(joinReq('g', { rebalanceTimeoutMs: 8000 }))
    h.clock.advance(999)
    await pending(a, 'JoinGroup at 5.999 s')
    h.clock.advance(1)
    await pending(a, 'JoinGroup at 6 s: the third join extended the delay again')
    h.clock.advance(2000)
    const results = await Promise.all([a, b, c])
    assert.deepEqual(results.map((r) => r.generationId), [1, 1, 1])
    assert.equal(results[0].members.length, 3)
  })

  it('a lone member of a new group waits exactly the initial delay', async () => {
    h = await startCoordinator({ 'group.initial.rebalance.delay.ms': 3000 })
    const a = h.gc.joinGroup(joinReq('g'))
    h.clock.advance(2999)
    await pending(a, 'JoinGroup during the initial delay')
    h.clock.advance(1)
    assert.equal((await settled(a)).generationId, 1)
  })

  it('a member that never sends SyncGroup is removed after the rebalance timeout', async () => {
    h = await startCoordinator()
    const joins = [0, 1].map(() => h!.gc.joinGroup(joinReq('g', { rebalanceTimeoutMs: 8000 })))
    h.clock.advance(0)
    const [leader, follower] = await Promise.all(joins)
    // The leader syncs; the follower never does (nor heartbeats within its 10 s session).
    await h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: null, assignments: [] })
    await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: null })
    h.clock.advance(8000)
    assert.equal(h.gc.groupState('g'), 'PreparingRebalance')
    assert.equal(await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null }), ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('a member waiting in JoinGroup is not expired by its session timeout', async () => {
    h = await startCoordinator()
    const { members } = await formGroup(h, 'g', 2, { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 60_000 })
    const waiting = h.gc.joinGroup(joinReq('g', { memberId: members[0].memberId, sessionTimeoutMs: 6000, rebalanceTimeoutMs: 60_000 }))
    // Member 1 is silent: removed at its session timeout, which completes the join for member 0.
    h.clock.advance(6000)
    const r = await settled(waiting)
    assert.equal(r.errorCode, ErrorCode.NONE)
    assert.deepEqual(r.members.map((m) => m.memberId), [members[0].memberId])
  })
})
