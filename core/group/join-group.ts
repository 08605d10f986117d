// JoinGroup, as Kafka's coordinator answers it: new dynamic members (with the MEMBER_ID_REQUIRED
// round trip), static members replacing their previous incarnation, and known members
// rejoining, each according to the group's state. The returned promise settles when the
// join phase completes (or at once for errors and no-rebalance cases).
import { randomUUID } from 'node:crypto'
import { ErrorCode } from '../protocol/error-codes'
import type { CoordinatorState } from './coordinator-state'
import { Group, Member } from './group'
import { joinError } from './rebalancer'
import type { JoinGroupRequest, JoinGroupResult } from './types'

export async function joinGroup(s: CoordinatorState, req: JoinGroupRequest): Promise<JoinGroupResult> {
  const fail = (code: number): JoinGroupResult => joinError(code, req.memberId)
  if (s.closed) return fail(ErrorCode.NOT_COORDINATOR)
  if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID)
  if (s.loading) return fail(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
  if (req.sessionTimeoutMs < s.config['group.min.session.timeout.ms'] || req.sessionTimeoutMs > s.config['group.max.session.timeout.ms']) {
    return fail(ErrorCode.INVALID_SESSION_TIMEOUT)
  }
  const isNewMember = req.memberId === ''
  let group = s.groups.get(req.groupId)
  if (group === undefined) {
    if (!isNewMember) return fail(ErrorCode.UNKNOWN_MEMBER_ID)
    group = new Group(req.groupId, s.clock.now())
    s.groups.set(req.groupId, group)
  }
  if (!acceptsJoiningMember(group, req.memberId, s.config['group.max.size'])) {
    const member = group.get(req.memberId)
    if (member !== undefined) s.rebalancer.removeMemberAndUpdateGroup(group, member)
    return joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, '')
  }
  const result = isNewMember ? joinNewMember(s, group, req) : joinKnownMember(s, group, req)
  if (group.is('PreparingRebalance')) s.rebalancer.tryCompleteJoin(group)
  return result
}

/** group.max.size counts members already in (or rejoining) the group. */
function acceptsJoiningMember(group: Group, memberId: string, maxSize: number): boolean {
  if (group.is('Empty') || group.is('Dead')) return true
  if (group.is('PreparingRebalance')) {
    return group.get(memberId)?.awaitingJoin !== undefined || group.awaitingJoinCount < maxSize
  }
  return group.has(memberId) || group.members.size < maxSize
}

function joinNewMember(s: CoordinatorState, group: Group, req: JoinGroupRequest): Promise<JoinGroupResult> | JoinGroupResult {
  if (group.is('Dead')) return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId)
  if (!group.supportsProtocols(req.protocolType, req.protocols)) return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId)
  const memberId = `${req.clientId}-${randomUUID()}`
  if (req.groupInstanceId !== null) return joinStaticMember(s, group, req, memberId)
  if (req.requireKnownMemberId) {
    s.rebalancer.addPendingMember(group, memberId, req.sessionTimeoutMs)
    return joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId)
  }
  return s.rebalancer.addMemberAndRebalance(group, req, memberId)
}

/** A static member with no member id: a first join, or a restart replacing its old member id. */
async function joinStaticMember(s: CoordinatorState, group: Group, req: JoinGroupRequest, newMemberId: string): Promise<JoinGroupResult> {
  const oldMemberId = group.staticMemberId(req.groupInstanceId)
  const old = oldMemberId === undefined ? undefined : group.get(oldMemberId)
  if (old === undefined) return s.rebalancer.addMemberAndRebalance(group, req, newMemberId)
  const member = replaceStaticMember(s, group, old, newMemberId, req)
  if (group.is('Stable')) {
    // No rebalance when the group would pick the same protocol: the new incarnation takes over
    // the old one's assignment (Kafka persists the id swap first).
    if (group.selectProtocol() === group.protocolName) {
      const code = await s.store.storeGroup(group)
      if (code !== ErrorCode.NONE) return joinError(code, newMemberId)
      s.rebalancer.touch(group, member)
      return s.rebalancer.currentJoinResult(group, newMemberId)
    }
    const result = s.rebalancer.awaitJoin(member)
    s.rebalancer.prepareRebalance(group, `static member ${req.groupInstanceId} rejoined with other protocols`)
    return result
  }
  const result = s.rebalancer.awaitJoin(member)
  // After the join phase the leader may already hold the old id; only a new rebalance is consistent.
  if (group.is('CompletingRebalance')) s.rebalancer.prepareRebalance(group, `static member ${req.groupInstanceId} rejoined`)
  return result
}

function replaceStaticMember(s: CoordinatorState, group: Group, old: Member, newMemberId: string, req: JoinGroupRequest): Member {
  s.rebalancer.answerJoin(old, joinError(ErrorCode.FENCED_INSTANCE_ID, old.memberId))
  s.rebalancer.answerSync(old, { errorCode: ErrorCode.FENCED_INSTANCE_ID, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) })
  const wasLeader = group.isLeader(old.memberId)
  const pendingSync = group.pendingSync.has(old.memberId)
  const member = new Member(newMemberId, req.groupInstanceId, req.clientId, req.clientHost, req.rebalanceTimeoutMs,
    req.sessionTimeoutMs, req.protocolType, req.protocols)
  member.assignment = old.assignment
  // Keep the old member's place in join order, so leadership and ordering survive the swap.
  const rest = [...group.members.values()]
  for (const m of rest) group.members.delete(m.memberId)
  old.heartbeatTimer?.cancel()
  for (const m of rest) group.members.set(m === old ? newMemberId : m.memberId, m === old ? member : m)
  group.staticMembers.set(req.groupInstanceId as string, newMemberId)
  if (wasLeader) group.leaderId = newMemberId
  if (pendingSync) {
    group.pendingSync.delete(old.memberId)
    group.pendingSync.add(newMemberId)
  }
  return member
}

function joinKnownMember(s: CoordinatorState, group: Group, req: JoinGroupRequest): Promise<JoinGroupResult> | JoinGroupResult {
  const fail = (code: number): JoinGroupResult => joinError(code, req.memberId)
  if (group.is('Dead')) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE)
  if (!group.supportsProtocols(req.protocolType, req.protocols, req.memberId)) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
  if (group.pendingMembers.has(req.memberId)) {
    group.pendingMembers.get(req.memberId)?.cancel()
    group.pendingMembers.delete(req.memberId)
    return s.rebalancer.addMemberAndRebalance(group, req, req.memberId)
  }
  if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return fail(ErrorCode.FENCED_INSTANCE_ID)
  const member = group.get(req.memberId)
  if (member === undefined) return fail(ErrorCode.UNKNOWN_MEMBER_ID)
  switch (group.state) {
    case 'PreparingRebalance':
      return s.rebalancer.updateMemberAndRebalance(group, member, req)
    case 'CompletingRebalance':
      // Same metadata: the member probably missed its JoinGroup response; resend it.
      if (member.matches(req.protocols)) {
        s.rebalancer.touch(group, member)
        return s.rebalancer.currentJoinResult(group, req.memberId)
      }
      return s.rebalancer.updateMemberAndRebalance(group, member, req)
    case 'Stable':
      // The leader rejoining (e.g. new topic metadata) or changed metadata means a new assignment.
      if (group.isLeader(req.memberId) || !member.matches(req.protocols)) {
        return s.rebalancer.updateMemberAndRebalance(group, member, req)
      }
      s.rebalancer.touch(group, member)
      return s.rebalancer.currentJoinResult(group, req.memberId)
    default:
      return fail(ErrorCode.UNKNOWN_MEMBER_ID)
  }
}
