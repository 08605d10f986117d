// The timed half of the state machine: preparing a rebalance, completing the join phase
// (generation bump, protocol choice, join responses), distributing the leader's assignment,
// and the timers that expire silent members (session timeout), late joiners (rebalance
// timeout), members that never sync, and the initial rebalance delay of a new group.
import type { Logger } from '../../config/logger'
import { ErrorCode } from '../protocol/error-codes'
import type { Clock, Timer } from './clock'
import type { GroupCoordinatorConfig } from './config'
import { Group, Member } from './group'
import type { GroupStore } from './group-store'
import type { JoinGroupRequest, JoinGroupResult, SyncGroupResult } from './types'

export function joinError(errorCode: number, memberId: string): JoinGroupResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] }
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }
}

export class Rebalancer {
  /** Groups whose current join phase is the initial delay (which never completes early). */
  private readonly initialDelay = new WeakSet<Group>()

  constructor(
    private readonly clock: Clock,
    private readonly config: GroupCoordinatorConfig,
    private readonly store: GroupStore,
    private readonly logger: Logger,
  ) {}

  /** A timer whose callback cannot take the broker down: a bug in a transition is logged, not thrown. */
  timer(delayMs: number, fn: () => void): Timer {
    return this.clock.setTimer(delayMs, () => {
      try {
        fn()
      } catch (e) {
        this.logger.error({ err: e }, 'group coordinator timer failed')
      }
    })
  }

  /** Restarts the member's session timer: it is removed unless it is heard from again in time. */
  touch(group: Group, member: Member): void {
    member.heartbeatTimer?.cancel()
    member.heartbeatTimer = this.timer(member.sessionTimeoutMs, () => {
      member.heartbeatTimer = undefined
      if (group.get(member.memberId) !== member) return
      // A member parked in JoinGroup or SyncGroup is alive; the rebalance's own timeouts bound it.
      if (member.awaitingJoin !== undefined || member.awaitingSync !== undefined) return
      this.logger.info({ group: group.groupId, member: member.memberId }, 'member session expired')
      this.removeMemberAndUpdateGroup(group, member)
    })
  }

  /** MEMBER_ID_REQUIRED: the id is reserved for one session timeout, and the rebalance waits for it. */
  addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = this.timer(sessionTimeoutMs, () => {
      if (!group.pendingMembers.delete(memberId)) return
      if (group.is('PreparingRebalance')) this.tryCompleteJoin(group)
    })
    group.pendingMembers.set(memberId, timer)
  }

  removePendingMember(group: Group, memberId: string): void {
    group.pendingMembers.get(memberId)?.cancel()
    group.pendingMembers.delete(memberId)
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group)
  }

  addMemberAndRebalance(group: Group, req: JoinGroupRequest, memberId: string): Promise<JoinGroupResult> {
    const member = new Member(memberId, req.groupInstanceId, req.clientId, req.clientHost, req.rebalanceTimeoutMs,
      req.sessionTimeoutMs, req.protocolType, req.protocols)
    const result = this.awaitJoin(member)
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true
    group.add(member)
    this.maybePrepareRebalance(group, `member ${memberId} joined`)
    return result
  }

  updateMemberAndRebalance(group: Group, member: Member, req: JoinGroupRequest): Promise<JoinGroupResult> {
    member.protocols = req.protocols
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs
    member.sessionTimeoutMs = req.sessionTimeoutMs
    member.clientId = req.clientId
    member.clientHost = req.clientHost
    const result = this.awaitJoin(member)
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`)
    return result
  }

  /** A parked JoinGroup superseded by a newer one from the same member is answered, not leaked. */
  awaitJoin(member: Member): Promise<JoinGroupResult> {
    member.awaitingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId))
    return new Promise((resolve) => { member.awaitingJoin = resolve })
  }

  removeMemberAndUpdateGroup(group: Group, member: Member): void {
    this.answerJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId))
    this.answerSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID))
    group.remove(member.memberId)
    if (group.is('Stable') || group.is('CompletingRebalance')) this.maybePrepareRebalance(group, `member ${member.memberId} left`)
    else if (group.is('PreparingRebalance')) this.tryCompleteJoin(group)
  }

  maybePrepareRebalance(group: Group, reason: string): void {
    if (group.is('Stable') || group.is('CompletingRebalance') || group.is('Empty')) this.prepareRebalance(group, reason)
  }

  prepareRebalance(group: Group, reason: string): void {
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS)
    this.cancelPendingSync(group)
    const wasEmpty = group.is('Empty')
    group.transitionTo('PreparingRebalance', this.clock.now())
    this.logger.info({ group: group.groupId, generation: group.generationId, reason }, 'preparing to rebalance')
    group.joinTimer?.cancel()
    if (wasEmpty) {
      const delay = this.config['group.initial.rebalance.delay.ms']
      this.initialDelay.add(group)
      group.newMemberAdded = false
      this.scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0))
    } else {
      group.joinTimer = this.timer(group.rebalanceTimeoutMs, () => this.completeJoin(group))
      this.tryCompleteJoin(group)
    }
  }

  /** Completes the join phase now if every member (and every reserved id) has joined. */
  tryCompleteJoin(group: Group): void {
    if (group.is('PreparingRebalance') && !this.initialDelay.has(group) && group.allMembersJoined) this.completeJoin(group)
  }

  private scheduleInitialJoin(group: Group, delayMs: number, remainingMs: number): void {
    group.joinTimer = this.timer(delayMs, () => {
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false
        const next = Math.min(this.config['group.initial.rebalance.delay.ms'], remainingMs)
        this.scheduleInitialJoin(group, next, Math.max(remainingMs - next, 0))
      } else {
        this.completeJoin(group)
      }
    })
  }

  /** End of the join phase: drop members that did not rejoin, bump the generation, answer every JoinGroup. */
  completeJoin(group: Group): void {
    group.joinTimer?.cancel()
    group.joinTimer = undefined
    this.initialDelay.delete(group)
    if (!group.is('PreparingRebalance')) return
    for (const member of [...group.members.values()]) {
      if (member.awaitingJoin !== undefined) continue
      this.logger.info({ group: group.groupId, member: member.memberId }, 'member did not rejoin in time; removed')
      group.remove(member.memberId)
    }
    group.generationId++
    if (group.members.size === 0) {
      group.protocolName = null
      group.transitionTo('Empty', this.clock.now())
      void this.store.storeGroup(group)
      return
    }
    group.protocolName = group.selectProtocol()
    group.transitionTo('CompletingRebalance', this.clock.now())
    this.logger.info({ group: group.groupId, generation: group.generationId, members: group.members.size }, 'group rebalanced')
    for (const member of group.members.values()) {
      group.pendingSync.add(member.memberId)
      this.answerJoin(member, this.currentJoinResult(group, member.memberId))
      this.touch(group, member)
    }
    const generation = group.generationId
    group.syncTimer = this.timer(group.rebalanceTimeoutMs, () => this.onSyncExpired(group, generation))
  }

  /** The current generation as a JoinGroup response; only the leader gets the members' metadata. */
  currentJoinResult(group: Group, memberId: string): JoinGroupResult {
    const protocol = group.protocolName ?? ''
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId,
      members: group.isLeader(memberId)
        ? [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }))
        : [],
    }
  }

  /** The leader's assignment is in: every member waiting in SyncGroup gets its share. */
  propagateAssignment(group: Group, errorCode: number): void {
    for (const member of group.members.values()) {
      if (member.awaitingSync === undefined) continue
      this.answerSync(member, { errorCode, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment })
      this.touch(group, member)
    }
  }

  resetAndPropagateAssignmentError(group: Group, errorCode: number): void {
    for (const member of group.members.values()) member.assignment = Buffer.alloc(0)
    this.propagateAssignment(group, errorCode)
  }

  cancelPendingSync(group: Group): void {
    group.syncTimer?.cancel()
    group.syncTimer = undefined
    group.pendingSync.clear()
  }

  answerJoin(member: Member, result: JoinGroupResult): void {
    const cb = member.awaitingJoin
    member.awaitingJoin = undefined
    cb?.(result)
  }

  answerSync(member: Member, result: SyncGroupResult): void {
    const cb = member.awaitingSync
    member.awaitingSync = undefined
    cb?.(result)
  }

  /** Members of the generation that never sent SyncGroup within the rebalance timeout are removed. */
  private onSyncExpired(group: Group, generation: number): void {
    group.syncTimer = undefined
    if (group.generationId !== generation || group.pendingSync.size === 0) return
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return
    const late = [...group.pendingSync]
    this.logger.info({ group: group.groupId, members: late }, 'members did not sync in time; removed')
    for (const id of late) {
      const member = group.get(id)
      if (member !== undefined) {
        this.answerJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, id))
        group.remove(id)
      }
    }
    this.prepareRebalance(group, 'pending SyncGroup expired')
  }
}
