// The coordinator's inputs and outputs: plain objects with Kafka's field names (lowerCamelCase),
// independent of any wire version. Handlers fill in version defaults (e.g. JoinGroup v0 has no
// rebalance timeout: pass the session timeout) and copy results into responses.

export interface Protocol {
  name: string
  metadata: Buffer
}

export interface JoinGroupRequest {
  groupId: string
  /** '' for a member joining for the first time. */
  memberId: string
  groupInstanceId: string | null
  /** JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED and an id to rejoin with. */
  requireKnownMemberId: boolean
  clientId: string
  clientHost: string
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  protocolType: string
  protocols: Protocol[]
}

export interface JoinGroupMember {
  memberId: string
  groupInstanceId: string | null
  metadata: Buffer
}

export interface JoinGroupResult {
  errorCode: number
  generationId: number
  protocolType: string | null
  protocolName: string | null
  leader: string
  memberId: string
  /** Every member's metadata for the chosen protocol; only the leader receives it. */
  members: JoinGroupMember[]
}

export interface SyncGroupRequest {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
  /** SyncGroup v5+ only; null skips the check. */
  protocolType?: string | null
  protocolName?: string | null
  assignments: { memberId: string; assignment: Buffer }[]
}

export interface SyncGroupResult {
  errorCode: number
  protocolType: string | null
  protocolName: string | null
  assignment: Buffer
}

export interface HeartbeatRequest {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
}

export interface LeaveGroupMember {
  memberId: string
  groupInstanceId: string | null
}

export interface LeaveGroupResult {
  errorCode: number
  members: (LeaveGroupMember & { errorCode: number })[]
}

export interface OffsetCommitPartition {
  partitionIndex: number
  committedOffset: number
  committedLeaderEpoch?: number
  /** OffsetCommit v1 only; -1 means "now". */
  commitTimestamp?: number
  committedMetadata: string | null
}

export interface OffsetCommitRequest {
  groupId: string
  /** -1 with memberId '' is a standalone (admin) commit. */
  generationId: number
  memberId: string
  groupInstanceId: string | null
  /** OffsetCommit v2-v4; -1 means the broker's offsets.retention.minutes. */
  retentionTimeMs?: number
  topics: { name: string; partitions: OffsetCommitPartition[] }[]
}

export interface PartitionError {
  partitionIndex: number
  errorCode: number
}

export interface TopicPartitionErrors {
  name: string
  partitions: PartitionError[]
}

export interface OffsetCommitResult {
  topics: TopicPartitionErrors[]
}

export interface OffsetFetchRequest {
  groupId: string
  /** null fetches every committed offset of the group. */
  topics: { name: string; partitionIndexes: number[] }[] | null
}

export interface FetchedOffset {
  partitionIndex: number
  committedOffset: number
  committedLeaderEpoch: number
  metadata: string | null
  errorCode: number
}

export interface OffsetFetchResult {
  errorCode: number
  topics: { name: string; partitions: FetchedOffset[] }[]
}

export interface DescribedMember {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  memberMetadata: Buffer
  memberAssignment: Buffer
}

export interface DescribedGroup {
  errorCode: number
  groupId: string
  groupState: string
  protocolType: string
  protocolData: string
  members: DescribedMember[]
}

export interface ListedGroup {
  groupId: string
  protocolType: string
  groupState: string
}

export interface ListGroupsResult {
  errorCode: number
  groups: ListedGroup[]
}

export interface DeleteGroupResult {
  groupId: string
  errorCode: number
}

export interface OffsetDeleteRequest {
  groupId: string
  topics: { name: string; partitions: { partitionIndex: number }[] }[]
}

export interface OffsetDeleteResult {
  errorCode: number
  topics: TopicPartitionErrors[]
}
