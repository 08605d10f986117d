import * as assert from 'node:assert/strict'
import { AssignerProtocol } from 'kafkajs'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { assignment, formGroup, joinReq, settled, startCoordinator, subscription, type Harness } from './harness'

describe('core/group static membership', () => {
  let h: Harness
  beforeEach(async () => { h = await startCoordinator() })
  afterEach(() => h.gc.close())

  async function formStatic(protocols = [{ name: 'range', metadata: subscription('orders') }]): Promise<{ a: string; b: string }> {
    const ja = h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-a', protocols }))
    const jb = h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-b', protocols }))
    h.clock.advance(0)
    const [a, b] = await Promise.all([ja, jb])
    const assignments = [
      { memberId: a.memberId, assignment: assignment({ orders: [0] }) },
      { memberId: b.memberId, assignment: assignment({ orders: [1] }) },
    ]
    const syncB = h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: 'host-b', assignments: [] })
    await h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'host-a', assignments })
    await syncB
    return { a: a.memberId, b: b.memberId }
  }

  it('a restarted static member takes over its old id and assignment without a rebalance', async () => {
    const { b } = await formStatic()
    const back = await h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-b', clientId: 'restarted' }))
    assert.equal(back.errorCode, ErrorCode.NONE)
    assert.notEqual(back.memberId, b)
    assert.ok(back.memberId.startsWith('restarted-'))
    assert.equal(back.generationId, 1, 'same generation: no rebalance')
    assert.equal(h.gc.groupState('g'), 'Stable')
    const sync = await h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: back.memberId, groupInstanceId: 'host-b', assignments: [] })
    assert.deepEqual(AssignerProtocol.MemberAssignment.decode(sync.assignment)?.assignment, { orders: [1] })
    // The old incarnation is fenced everywhere.
    const hb = await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: b, groupInstanceId: 'host-b' })
    assert.equal(hb, ErrorCode.FENCED_INSTANCE_ID)
    const commit = await h.gc.commitOffsets({ groupId: 'g', generationId: 1, memberId: b, groupInstanceId: 'host-b', topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 5, committedMetadata: null }] }] })
    assert.equal(commit.topics[0].partitions[0].errorCode, ErrorCode.FENCED_INSTANCE_ID)
    const rejoin = await h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-b', memberId: b }))
    assert.equal(rejoin.errorCode, ErrorCode.FENCED_INSTANCE_ID)
    const sync2 = await h.gc.syncGroup({ groupId: 'g', generationId: 1, memberId: b, groupInstanceId: 'host-b', assignments: [] })
    assert.equal(sync2.errorCode, ErrorCode.FENCED_INSTANCE_ID)
    const leave = await h.gc.leaveGroup('g', [{ memberId: b, groupInstanceId: 'host-b' }])
    assert.equal(leave.members[0].errorCode, ErrorCode.FENCED_INSTANCE_ID)
  })

  it('a restarted static leader keeps leadership', async () => {
    const { a } = await formStatic()
    const back = await h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-a' }))
    assert.notEqual(back.memberId, a)
    assert.equal(back.leader, back.memberId)
    assert.equal(back.members.length, 2)
    assert.equal(h.gc.groupState('g'), 'Stable')
  })

  it('a static member returning with metadata that changes the chosen protocol triggers a rebalance', async () => {
    const both = [{ name: 'range', metadata: subscription('orders') }, { name: 'roundrobin', metadata: subscription('orders') }]
    const { a } = await formStatic(both)
    const back = h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-b', protocols: [both[1]] }))
    assert.equal(h.gc.groupState('g'), 'PreparingRebalance')
    const leader = h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-a', memberId: a, protocols: both }))
    const [b2, a2] = await Promise.all([back, leader])
    assert.equal(b2.generationId, 2)
    assert.equal(a2.protocolName, 'roundrobin')
  })

  it('a static member returning with the same choice of protocol does not rebalance', async () => {
    const both = [{ name: 'range', metadata: subscription('orders') }, { name: 'roundrobin', metadata: subscription('orders') }]
    await formStatic(both)
    const back = await settled(h.gc.joinGroup(joinReq('g', { groupInstanceId: 'host-b', protocols: [both[1], both[0]] })))
    assert.equal(back.generationId, 1)
    assert.equal(back.protocolName, 'range', 'a tied vote goes to the preference of the member that joined first')
    assert.equal(h.gc.groupState('g'), 'Stable')
  })

  it('a static member leaves by instance id alone, in a batch with per-member errors', async () => {
    const { a } = await formStatic()
    const res = await h.gc.leaveGroup('g', [
      { memberId: '', groupInstanceId: 'host-b' },
      { memberId: '', groupInstanceId: 'host-z' },
      { memberId: 'unknown-member', groupInstanceId: null },
    ])
    assert.equal(res.errorCode, ErrorCode.NONE)
    assert.deepEqual(res.members.map((m) => m.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.UNKNOWN_MEMBER_ID])
    assert.equal(h.gc.groupState('g'), 'PreparingRebalance')
    const [d] = await h.gc.describeGroups(['g'])
    assert.deepEqual(d.members.map((m) => [m.memberId, m.groupInstanceId]), [[a, 'host-a']])
  })

  it('a static member that stops heartbeating is removed at its session timeout', async () => {
    const { a } = await formStatic()
    h.clock.advance(5000)
    await h.gc.heartbeat({ groupId: 'g', generationId: 1, memberId: a, groupInstanceId: 'host-a' })
    h.clock.advance(5000)
    const [d] = await h.gc.describeGroups(['g'])
    assert.deepEqual(d.members.map((m) => m.groupInstanceId), ['host-a'])
  })

  it('plain dynamic groups are unaffected by instance ids of other groups', async () => {
    await formStatic()
    const { members } = await formGroup(h, 'other', 1)
    assert.equal(await h.gc.heartbeat({ groupId: 'other', generationId: 1, memberId: members[0].memberId, groupInstanceId: null }), ErrorCode.NONE)
  })
})
