// The group coordinator: one façade over the group state machine, the committed-offset store
// and their timers. Every method answers with Kafka's wire error codes in plain objects; none
// throws for a bad request. Call load() before serving: until it finishes, requests get
// COORDINATOR_LOAD_IN_PROGRESS (clients retry).
import { createLogger } from '../../config/logger'
import { ErrorCode } from '../protocol/error-codes'
import { systemClock, type Clock, type Timer } from './clock'
import { GroupCoordinatorConfigDef, type GroupCoordinatorConfig } from './config'
import type { CoordinatorState } from './coordinator-state'
import type { Group } from './group'
import { GroupStore } from './group-store'
import { joinGroup } from './join-group'
import { heartbeat, leaveGroup, syncGroup } from './member-ops'
import { commitOffsets, deleteOffsets, deleteTopicOffsets, expireOffsets, fetchOffsets } from './offset-ops'
import type { OffsetLog } from './offset-log'
import { Rebalancer, joinError, syncError } from './rebalancer'
import type {
  DeleteGroupResult, DescribedGroup, HeartbeatRequest, JoinGroupRequest, JoinGroupResult, LeaveGroupMember, LeaveGroupResult,
  ListGroupsResult, OffsetCommitRequest, OffsetCommitResult, OffsetDeleteRequest, OffsetDeleteResult, OffsetFetchRequest,
  OffsetFetchResult, SyncGroupRequest, SyncGroupResult,
} from './types'

export interface GroupCoordinatorOptions {
  offsetLog: OffsetLog
  clock?: Clock
  /** Broker settings by Kafka's names; missing keys take Kafka's defaults. */
  config?: Partial<GroupCoordinatorConfig>
}

export class GroupCoordinator {
  private readonly s: CoordinatorState
  private retentionTimer: Timer | undefined

  constructor(opts: GroupCoordinatorOptions) {
    const clock = opts.clock ?? systemClock
    const config = { ...GroupCoordinatorConfigDef.defaults(), ...opts.config }
    const logger = createLogger('group')
    const store = new GroupStore(opts.offsetLog, logger)
    this.s = {
      clock, config, store, logger, groups: new Map(), loading: true, closed: false,
      rebalancer: new Rebalancer(clock, config, store, logger),
    }
  }

  /** Replays the offsets log (committed offsets and group metadata), then starts serving and the retention checks. */
  async load(): Promise<void> {
    const groups = await this.s.store.load(this.s.clock.now())
    for (const [id, group] of groups) {
      this.s.groups.set(id, group)
      // Restored members get one session timeout to show they are still alive.
      for (const member of group.members.values()) this.s.rebalancer.touch(group, member)
    }
    this.s.loading = false
    this.s.logger.info({ groups: groups.size }, 'group coordinator loaded')
    this.scheduleRetentionCheck()
  }

  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResult> {
    return joinGroup(this.s, req)
  }

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResult> {
    return syncGroup(this.s, req)
  }

  /** Resolves to the wire error code (NONE, REBALANCE_IN_PROGRESS, ...). */
  heartbeat(req: HeartbeatRequest): Promise<number> {
    return heartbeat(this.s, req)
  }

  leaveGroup(groupId: string, members: LeaveGroupMember[]): Promise<LeaveGroupResult> {
    return leaveGroup(this.s, groupId, members)
  }

  commitOffsets(req: OffsetCommitRequest): Promise<OffsetCommitResult> {
    return commitOffsets(this.s, req)
  }

  async fetchOffsets(req: OffsetFetchRequest): Promise<OffsetFetchResult> {
    return fetchOffsets(this.s, req)
  }

  deleteOffsets(req: OffsetDeleteRequest): Promise<OffsetDeleteResult> {
    return deleteOffsets(this.s, req)
  }

  async describeGroups(groupIds: string[]): Promise<DescribedGroup[]> {
    return groupIds.map((groupId) => {
      const none: DescribedGroup = { errorCode: ErrorCode.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] }
      if (this.s.closed) return { ...none, errorCode: ErrorCode.NOT_COORDINATOR }
      if (groupId === '') return { ...none, errorCode: ErrorCode.INVALID_GROUP_ID }
      if (this.s.loading) return { ...none, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS }
      const group = this.s.groups.get(groupId)
      return group === undefined ? none : describe(group)
    })
  }

  async listGroups(): Promise<ListGroupsResult> {
    if (this.s.closed) return { errorCode: ErrorCode.NOT_COORDINATOR, groups: [] }
    if (this.s.loading) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, groups: [] }
    const groups = [...this.s.groups.values()].filter((g) => !g.is('Dead'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }))
    return { errorCode: ErrorCode.NONE, groups }
  }

  /** Deletes Empty groups and their offsets; NON_EMPTY_GROUP while members remain. */
  async deleteGroups(groupIds: string[]): Promise<DeleteGroupResult[]> {
    const results: DeleteGroupResult[] = []
    for (const groupId of groupIds) results.push({ groupId, errorCode: await this.deleteGroup(groupId) })
    return results
  }

  /** Forgets every group's committed offsets for these (deleted) topics; call after DeleteTopics. */
  deleteTopicOffsets(topics: string[]): Promise<void> {
    return deleteTopicOffsets(this.s, topics)
  }

  /** Runs the retention check now (it also runs every offsets.retention.check.interval.ms); returns how many offsets expired. */
  expireOffsets(): Promise<number> {
    return expireOffsets(this.s)
  }

  /** States of a group for tests and metrics, or undefined when unknown. */
  groupState(groupId: string): string | undefined {
    return this.s.groups.get(groupId)?.state
  }

  /** Stops timers and answers every parked JoinGroup/SyncGroup with NOT_COORDINATOR. */
  close(): void {
    if (this.s.closed) return
    this.s.closed = true
    this.retentionTimer?.cancel()
    for (const group of this.s.groups.values()) {
      group.joinTimer?.cancel()
      this.s.rebalancer.cancelPendingSync(group)
      for (const t of group.pendingMembers.values()) t.cancel()
      for (const m of group.members.values()) {
        m.heartbeatTimer?.cancel()
        this.s.rebalancer.answerJoin(m, joinError(ErrorCode.NOT_COORDINATOR, m.memberId))
        this.s.rebalancer.answerSync(m, syncError(ErrorCode.NOT_COORDINATOR))
      }
    }
  }

  private async deleteGroup(groupId: string): Promise<number> {
    if (this.s.closed) return ErrorCode.NOT_COORDINATOR
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID
    if (this.s.loading) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
    const group = this.s.groups.get(groupId)
    if (group === undefined || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP
    const offsets = [...group.offsets].flatMap(([topic, ps]) => [...ps.keys()].map((partition) => ({ topic, partition })))
    for (const t of group.pendingMembers.values()) t.cancel()
    group.transitionTo('Dead', this.s.clock.now())
    this.s.groups.delete(groupId)
    return this.s.store.deleteRecords(groupId, offsets, true)
  }

  private scheduleRetentionCheck(): void {
    if (this.s.closed) return
    this.retentionTimer = this.s.rebalancer.timer(this.s.config['offsets.retention.check.interval.ms'], () => {
      this.scheduleRetentionCheck()
      void expireOffsets(this.s).catch((e: unknown) => this.s.logger.error({ err: e }, 'offset expiry failed'))
    })
  }
}

/** Kafka's group summary: member metadata and assignments only when Stable. */
function describe(group: Group): DescribedGroup {
  const stable = group.is('Stable') && group.protocolName !== null
  return {
    errorCode: ErrorCode.NONE,
    groupId: group.groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? group.protocolName ?? '' : '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadata(group.protocolName ?? '') : Buffer.alloc(0),
      memberAssignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  }
}
