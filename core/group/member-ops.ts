// SyncGroup, Heartbeat and LeaveGroup: the requests of members already in a group, checked in
// Kafka's order (dead group, fenced static member, unknown member, generation, state).
import { ErrorCode } from '../protocol/error-codes'
import type { CoordinatorState } from './coordinator-state'
import type { Group } from './group'
import { syncError } from './rebalancer'
import type { HeartbeatRequest, LeaveGroupMember, LeaveGroupResult, SyncGroupRequest, SyncGroupResult } from './types'

function precheck(s: CoordinatorState, groupId: string): number | undefined {
  if (s.closed) return ErrorCode.NOT_COORDINATOR
  if (groupId === '') return ErrorCode.INVALID_GROUP_ID
  if (s.loading) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
  return undefined
}

/** The checks SyncGroup and Heartbeat share; undefined when the member may proceed. */
function checkMember(group: Group | undefined, memberId: string, groupInstanceId: string | null, generationId: number): number | undefined {
  if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE
  if (group.isStaticMemberFenced(memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID
  if (!group.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID
  if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION
  return undefined
}

export async function syncGroup(s: CoordinatorState, req: SyncGroupRequest): Promise<SyncGroupResult> {
  const pre = precheck(s, req.groupId)
  if (pre !== undefined) return syncError(pre)
  const group = s.groups.get(req.groupId)
  const bad = checkMember(group, req.memberId, req.groupInstanceId, req.generationId)
  if (bad !== undefined || group === undefined) return syncError(bad ?? ErrorCode.UNKNOWN_MEMBER_ID)
  if ((req.protocolType != null && req.protocolType !== group.protocolType)
    || (req.protocolName != null && req.protocolName !== group.protocolName)) {
    return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
  }
  const member = group.get(req.memberId)!
  switch (group.state) {
    case 'PreparingRebalance':
      return syncError(ErrorCode.REBALANCE_IN_PROGRESS)
    case 'Stable':
      group.pendingSync.delete(req.memberId)
      s.rebalancer.touch(group, member)
      return { errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment }
    case 'CompletingRebalance': {
      s.rebalancer.answerSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS))
      const result = new Promise<SyncGroupResult>((resolve) => { member.awaitingSync = resolve })
      group.pendingSync.delete(req.memberId)
      if (group.isLeader(req.memberId)) void completeSync(s, group, req)
      return result
    }
    default:
      return syncError(ErrorCode.UNKNOWN_MEMBER_ID)
  }
}

/** Persists the leader's assignment, then hands every member its share and makes the group Stable. */
async function completeSync(s: CoordinatorState, group: Group, req: SyncGroupRequest): Promise<void> {
  const generation = group.generationId
  const assignments = new Map<string, Buffer>()
  for (const id of group.members.keys()) assignments.set(id, Buffer.alloc(0))
  for (const a of req.assignments) if (assignments.has(a.memberId)) assignments.set(a.memberId, a.assignment)
  const code = await s.store.storeGroup(group, assignments)
  if (!group.is('CompletingRebalance') || group.generationId !== generation) return
  if (code !== ErrorCode.NONE) {
    s.rebalancer.resetAndPropagateAssignmentError(group, code)
    s.rebalancer.maybePrepareRebalance(group, 'storing the assignment failed')
    return
  }
  for (const [id, assignment] of assignments) {
    const m = group.get(id)
    if (m !== undefined) m.assignment = assignment
  }
  s.rebalancer.propagateAssignment(group, ErrorCode.NONE)
  group.transitionTo('Stable', s.clock.now())
  if (group.pendingSync.size === 0) s.rebalancer.cancelPendingSync(group)
}

export async function heartbeat(s: CoordinatorState, req: HeartbeatRequest): Promise<number> {
  const pre = precheck(s, req.groupId)
  if (pre !== undefined) return pre
  const group = s.groups.get(req.groupId)
  const bad = checkMember(group, req.memberId, req.groupInstanceId, req.generationId)
  if (bad !== undefined || group === undefined) return bad ?? ErrorCode.UNKNOWN_MEMBER_ID
  if (group.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID
  s.rebalancer.touch(group, group.get(req.memberId)!)
  return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE
}

/** LeaveGroup v0-v2 send one member; v3+ a batch, each with its own error. Static members may leave by instance id alone. */
export async function leaveGroup(s: CoordinatorState, groupId: string, members: LeaveGroupMember[]): Promise<LeaveGroupResult> {
  const pre = precheck(s, groupId)
  if (pre !== undefined) return { errorCode: pre, members: [] }
  const group = s.groups.get(groupId)
  if (group === undefined) {
    return { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) }
  }
  if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] }
  return { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: leaveOne(s, group, m) })) }
}

function leaveOne(s: CoordinatorState, group: Group, m: LeaveGroupMember): number {
  let memberId = m.memberId
  if (memberId === '') {
    const byInstance = group.staticMemberId(m.groupInstanceId)
    if (byInstance === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
    memberId = byInstance
  } else if (group.pendingMembers.has(memberId)) {
    s.rebalancer.removePendingMember(group, memberId)
    return ErrorCode.NONE
  } else if (group.isStaticMemberFenced(memberId, m.groupInstanceId)) {
    return ErrorCode.FENCED_INSTANCE_ID
  }
  const member = group.get(memberId)
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
  s.logger.info({ group: group.groupId, member: memberId }, 'member left the group')
  s.rebalancer.removeMemberAndUpdateGroup(group, member)
  return ErrorCode.NONE
}
