// One group's in-memory state: members, generation, chosen protocol, leader and committed
// offsets, with Kafka's state machine guarding transitions. Timers and persistence live in
// the rebalancer and the store; this file only holds and queries state.
import type { Timer } from './clock'
import { CONSUMER_PROTOCOL_TYPE, subscriptionTopics } from './consumer-protocol'
import type { OffsetValue } from './offset-records'
import type { JoinGroupResult, Protocol, SyncGroupResult } from './types'

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

const VALID_PREVIOUS: Record<GroupState, GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
}

export class Member {
  assignment: Buffer = Buffer.alloc(0)
  awaitingJoin: ((r: JoinGroupResult) => void) | undefined
  awaitingSync: ((r: SyncGroupResult) => void) | undefined
  heartbeatTimer: Timer | undefined

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    public protocolType: string,
    public protocols: Protocol[],
  ) {}

  metadata(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0)
  }

  /** Same protocols with the same metadata, in the same order. */
  matches(protocols: Protocol[]): boolean {
    return protocols.length === this.protocols.length
      && protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata))
  }

  /** The first of this member's protocols (in its order of preference) that is among `candidates`. */
  vote(candidates: Set<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name
  }
}

export interface CommittedOffset extends OffsetValue {}

export class Group {
  state: GroupState = 'Empty'
  currentStateTimestamp: number
  generationId = 0
  protocolType: string | null = null
  protocolName: string | null = null
  leaderId: string | null = null
  /** Insertion order is join order: the first remaining member becomes leader. */
  readonly members = new Map<string, Member>()
  /** Members told MEMBER_ID_REQUIRED, expected to rejoin with their id; value = expiry timer. */
  readonly pendingMembers = new Map<string, Timer>()
  /** group.instance.id -> current member id. */
  readonly staticMembers = new Map<string, string>()
  /** Members of the new generation that have not yet sent SyncGroup. */
  readonly pendingSync = new Set<string>()
  /** A member joined during the initial delay, so the delay is extended. */
  newMemberAdded = false
  joinTimer: Timer | undefined
  syncTimer: Timer | undefined
  /** topic -> partition -> offset. */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>()

  constructor(readonly groupId: string, now: number) {
    this.currentStateTimestamp = now
  }

  is(state: GroupState): boolean {
    return this.state === state
  }

  transitionTo(state: GroupState, now: number): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${state}`)
    }
    this.state = state
    this.currentStateTimestamp = now
  }

  has(memberId: string): boolean {
    return this.members.has(memberId)
  }

  get(memberId: string): Member | undefined {
    return this.members.get(memberId)
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType
    this.members.set(member.memberId, member)
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId)
    if (this.leaderId === null) this.leaderId = member.memberId
  }

  remove(memberId: string): Member | undefined {
    const member = this.members.get(memberId)
    if (member === undefined) return undefined
    member.heartbeatTimer?.cancel()
    this.members.delete(memberId)
    this.pendingSync.delete(memberId)
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId)
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null
    return member
  }

  staticMemberId(groupInstanceId: string | null): string | undefined {
    return groupInstanceId === null ? undefined : this.staticMembers.get(groupInstanceId)
  }

  /** A request carrying an instance id now owned by a different member id is from a fenced zombie. */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    const current = this.staticMemberId(groupInstanceId)
    return current !== undefined && current !== memberId
  }

  get awaitingJoinCount(): number {
    let n = 0
    for (const m of this.members.values()) if (m.awaitingJoin !== undefined) n++
    return n
  }

  get allMembersJoined(): boolean {
    return this.members.size === this.awaitingJoinCount && this.pendingMembers.size === 0
  }

  /** The largest rebalance timeout of any member: how long a rebalance may wait. */
  get rebalanceTimeoutMs(): number {
    let t = 0
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs)
    return t
  }

  /** Protocols every member (except `exceptMemberId`) supports. */
  candidateProtocols(exceptMemberId?: string): Set<string> | undefined {
    let common: Set<string> | undefined
    for (const m of this.members.values()) {
      if (m.memberId === exceptMemberId) continue
      const names = new Set(m.protocols.map((p) => p.name))
      common = common === undefined ? names : new Set([...common].filter((n) => names.has(n)))
    }
    return common
  }

  /**
   * An empty group takes any non-empty protocol type; otherwise the type must be the group's and
   * some protocol must be one every other member supports (a lone member rejoining may switch
   * protocols, never the type).
   */
  supportsProtocols(protocolType: string, protocols: Protocol[], memberId?: string): boolean {
    if (protocolType === '' || protocols.length === 0) return false
    if (this.members.size === 0) return true
    if (this.protocolType !== protocolType) return false
    const others = this.candidateProtocols(memberId)
    return others === undefined || protocols.some((p) => others.has(p.name))
  }

  /** Kafka's vote: among protocols all members support, the one most members list first. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols() ?? new Set<string>()
    const votes = new Map<string, number>()
    for (const m of this.members.values()) {
      const choice = m.vote(candidates)
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1)
    }
    let best: string | undefined
    for (const [name, n] of votes) if (best === undefined || n > (votes.get(best) ?? 0)) best = name
    if (best === undefined) throw new Error(`group ${this.groupId}: no protocol supported by all members`)
    return best
  }

  /** Topics the members subscribe to, or undefined if that cannot be known (not a consumer group). */
  subscribedTopics(): Set<string> | undefined {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null) return undefined
    const topics = new Set<string>()
    for (const m of this.members.values()) {
      const t = subscriptionTopics(m.metadata(this.protocolName))
      if (t === undefined) return undefined
      for (const name of t) topics.add(name)
    }
    return topics
  }

  get isConsumerGroup(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics()?.has(topic) ?? false
  }

  offset(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition)
  }

  setOffset(topic: string, partition: number, value: CommittedOffset): void {
    let byPartition = this.offsets.get(topic)
    if (byPartition === undefined) this.offsets.set(topic, byPartition = new Map())
    byPartition.set(partition, value)
  }

  removeOffset(topic: string, partition: number): boolean {
    const byPartition = this.offsets.get(topic)
    if (byPartition === undefined || !byPartition.delete(partition)) return false
    if (byPartition.size === 0) this.offsets.delete(topic)
    return true
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0
  }
}
