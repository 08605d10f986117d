// Shared fixtures for the coordinator unit tests: a coordinator on a ManualClock and an
// in-memory offsets log, consumer-protocol metadata encoded by kafkajs (the client's view is
// the oracle), and small helpers to join and sync like a client would.
import * as assert from 'node:assert/strict'
import { AssignerProtocol } from 'kafkajs'
import { ErrorCode } from '../../../core/protocol/error-codes'
import {
  GroupCoordinator, InMemoryOffsetLog, ManualClock, type GroupCoordinatorConfig, type JoinGroupRequest, type JoinGroupResult,
} from '../../../core/group'

export interface Harness {
  clock: ManualClock
  log: InMemoryOffsetLog
  gc: GroupCoordinator
}

export async function startCoordinator(config: Partial<GroupCoordinatorConfig> = {}, log = new InMemoryOffsetLog(), clock = new ManualClock()): Promise<Harness> {
  const gc = new GroupCoordinator({ offsetLog: log, clock, config: { 'group.initial.rebalance.delay.ms': 0, ...config } })
  await gc.load()
  return { clock, log, gc }
}

/** Lets promise callbacks (log appends, parked responses) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

export function subscription(...topics: string[]): Buffer {
  return AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) })
}

export function assignment(partitions: Record<string, number[]>): Buffer {
  return AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: partitions, userData: Buffer.alloc(0) })
}

export function joinReq(groupId: string, over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId,
    memberId: '',
    groupInstanceId: null,
    requireKnownMemberId: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('orders') }],
    ...over,
  }
}

/** Settles a promise that should already be settled after the microtasks run, or fails. */
export async function settled<T>(p: Promise<T>, what = 'response'): Promise<T> {
  let done = false
  let value: T | undefined
  void p.then((v) => { done = true; value = v })
  await flush()
  assert.ok(done, `${what} should have been answered`)
  return value as T
}

export async function pending<T>(p: Promise<T>, what = 'response'): Promise<void> {
  let done = false
  void p.then(() => { done = true })
  await flush()
  assert.equal(done, false, `${what} should still be waiting`)
}

/**
 * Joins `n` new dynamic members at once and syncs them with the leader's assignment
 * (partition i to member i); returns the members in join order and the generation.
 */
export async function formGroup(h: Harness, groupId: string, n: number, over: Partial<JoinGroupRequest> = {}):
  Promise<{ members: JoinGroupResult[]; generationId: number; leader: string }> {
  const joins = Array.from({ length: n }, (_, i) => h.gc.joinGroup(joinReq(groupId, { clientId: `c${i}`, ...over })))
  h.clock.advance(0)
  const members = await Promise.all(joins)
  for (const m of members) assert.equal(m.errorCode, ErrorCode.NONE)
  const leaderResult = members.find((m) => m.memberId === m.leader)
  assert.ok(leaderResult)
  const syncs = members.map((m) => h.gc.syncGroup({
    groupId, generationId: m.generationId, memberId: m.memberId, groupInstanceId: over.groupInstanceId ?? null,
    assignments: m.memberId === m.leader ? leaderResult.members.map((x, i) => ({ memberId: x.memberId, assignment: assignment({ orders: [i] }) })) : [],
  }))
  for (const s of await Promise.all(syncs)) assert.equal(s.errorCode, ErrorCode.NONE)
  return { members, generationId: members[0].generationId, leader: members[0].leader }
}
