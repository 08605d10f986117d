// Committed offsets: OffsetCommit (group members, or standalone/admin commits to a group with
// no members), OffsetFetch, OffsetDelete, the periodic retention expiry and the offsets of
// deleted topics, as Kafka does them.
import { ErrorCode } from '../protocol/error-codes'
import type { CoordinatorState } from './coordinator-state'
import { Group } from './group'
import type { OffsetEntry } from './group-store'
import type {
  FetchedOffset, OffsetCommitRequest, OffsetCommitResult, OffsetDeleteRequest, OffsetDeleteResult, OffsetFetchRequest,
  OffsetFetchResult, TopicPartitionErrors,
} from './types'

function allPartitions(req: OffsetCommitRequest, errorCode: number): OffsetCommitResult {
  return { topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })) }
}

export async function commitOffsets(s: CoordinatorState, req: OffsetCommitRequest): Promise<OffsetCommitResult> {
  if (s.closed) return allPartitions(req, ErrorCode.NOT_COORDINATOR)
  if (req.groupId === '') return allPartitions(req, ErrorCode.INVALID_GROUP_ID)
  if (s.loading) return allPartitions(req, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
  let group = s.groups.get(req.groupId)
  if (group === undefined) {
    // No such group: a standalone consumer or admin tool may still store offsets here.
    if (req.generationId >= 0) return allPartitions(req, ErrorCode.ILLEGAL_GENERATION)
    group = new Group(req.groupId, s.clock.now())
    s.groups.set(req.groupId, group)
  }
  if (group.is('Dead')) return allPartitions(req, ErrorCode.COORDINATOR_NOT_AVAILABLE)
  if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return allPartitions(req, ErrorCode.FENCED_INSTANCE_ID)
  if (!(req.generationId < 0 && group.is('Empty'))) {
    if (group.is('CompletingRebalance')) return allPartitions(req, ErrorCode.REBALANCE_IN_PROGRESS)
    const member = group.get(req.memberId)
    if (member === undefined) return allPartitions(req, ErrorCode.UNKNOWN_MEMBER_ID)
    if (req.generationId !== group.generationId) return allPartitions(req, ErrorCode.ILLEGAL_GENERATION)
    s.rebalancer.touch(group, member)
  }
  return storeOffsets(s, group, req)
}

async function storeOffsets(s: CoordinatorState, group: Group, req: OffsetCommitRequest): Promise<OffsetCommitResult> {
  const now = s.clock.now()
  const maxMetadata = s.config['offset.metadata.max.bytes']
  const retention = req.retentionTimeMs ?? -1
  const entries: OffsetEntry[] = []
  const tooLarge = new Set<string>()
  for (const t of req.topics) {
    for (const p of t.partitions) {
      const metadata = p.committedMetadata ?? ''
      if (Buffer.byteLength(metadata, 'utf8') > maxMetadata) {
        tooLarge.add(`${t.name}\u0000${p.partitionIndex}`)
        continue
      }
      const commitTimestamp = p.commitTimestamp !== undefined && p.commitTimestamp >= 0 ? p.commitTimestamp : now
      entries.push({
        topic: t.name,
        partition: p.partitionIndex,
        value: {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch ?? -1,
          metadata,
          commitTimestamp,
          ...(retention >= 0 ? { expireTimestamp: commitTimestamp + retention } : {}),
        },
      })
    }
  }
  const code = entries.length === 0 ? ErrorCode.NONE : await s.store.storeOffsets(group.groupId, entries)
  // A group deleted while the write was in flight stays deleted.
  if (code === ErrorCode.NONE && !group.is('Dead')) {
    for (const e of entries) group.setOffset(e.topic, e.partition, e.value)
  }
  return {
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: tooLarge.has(`${t.name}\u0000${p.partitionIndex}`) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : code,
      })),
    })),
  }
}

export function fetchOffsets(s: CoordinatorState, req: OffsetFetchRequest): OffsetFetchResult {
  const topLevel = s.closed ? ErrorCode.NOT_COORDINATOR : s.loading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE
  const group = topLevel === ErrorCode.NONE ? s.groups.get(req.groupId) : undefined
  const fetched = (topic: string, partitionIndex: number): FetchedOffset => {
    const o = group?.offset(topic, partitionIndex)
    return o === undefined
      ? { partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: topLevel }
      : { partitionIndex, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: ErrorCode.NONE }
  }
  if (req.topics === null) {
    const topics = group === undefined ? [] : [...group.offsets].map(([name, byPartition]) => ({
      name, partitions: [...byPartition.keys()].sort((a, b) => a - b).map((p) => fetched(name, p)),
    }))
    return { errorCode: topLevel, topics }
  }
  return { errorCode: topLevel, topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => fetched(t.name, p)) })) }
}

export async function deleteOffsets(s: CoordinatorState, req: OffsetDeleteRequest): Promise<OffsetDeleteResult> {
  const fail = (errorCode: number): OffsetDeleteResult => ({ errorCode, topics: [] })
  if (s.closed) return fail(ErrorCode.NOT_COORDINATOR)
  if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID)
  if (s.loading) return fail(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
  const group = s.groups.get(req.groupId)
  if (group === undefined || group.is('Dead')) return fail(ErrorCode.GROUP_ID_NOT_FOUND)
  // An active group may drop offsets only of topics none of its members subscribes to.
  const active = !group.is('Empty')
  if (active && !group.isConsumerGroup) return fail(ErrorCode.NON_EMPTY_GROUP)
  const subscribed = active ? (group.subscribedTopics() ?? new Set<string>()) : new Set<string>()
  const removed: { topic: string; partition: number }[] = []
  const topics: TopicPartitionErrors[] = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map(({ partitionIndex }) => {
      if (subscribed.has(t.name)) return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }
      if (group.removeOffset(t.name, partitionIndex)) removed.push({ topic: t.name, partition: partitionIndex })
      return { partitionIndex, errorCode: ErrorCode.NONE }
    }),
  }))
  const code = await s.store.deleteRecords(group.groupId, removed, false)
  return { errorCode: code, topics }
}

/** Drops offsets past retention; an Empty group left with no offsets is removed entirely. */
export async function expireOffsets(s: CoordinatorState): Promise<number> {
  if (s.loading || s.closed) return 0
  const now = s.clock.now()
  const retentionMs = s.config['offsets.retention.minutes'] * 60_000
  let expiredCount = 0
  for (const group of [...s.groups.values()]) {
    const expired = expiredOffsets(group, now, retentionMs)
    expiredCount += expired.length
    await dropOffsets(s, group, expired, 'expired committed offsets')
  }
  return expiredCount
}

/** A deleted topic's offsets go from every group (Kafka's onPartitionsDeleted), so a topic recreated under the same name starts afresh. */
export async function deleteTopicOffsets(s: CoordinatorState, topics: string[]): Promise<void> {
  if (s.loading || s.closed) return
  const deleted = new Set(topics)
  for (const group of [...s.groups.values()]) {
    const gone = [...group.offsets].filter(([topic]) => deleted.has(topic))
      .flatMap(([topic, byPartition]) => [...byPartition.keys()].map((partition) => ({ topic, partition })))
    await dropOffsets(s, group, gone, 'removed committed offsets of deleted topics')
  }
}

/** Removes offsets and writes their tombstones; an Empty group left with no offsets is removed too. */
async function dropOffsets(s: CoordinatorState, group: Group, offsets: { topic: string; partition: number }[], why: string): Promise<void> {
  for (const o of offsets) group.removeOffset(o.topic, o.partition)
  const dead = group.is('Empty') && !group.hasOffsets && group.pendingMembers.size === 0
  if (dead) {
    group.transitionTo('Dead', s.clock.now())
    s.groups.delete(group.groupId)
  }
  if (offsets.length > 0 || dead) {
    s.logger.info({ group: group.groupId, offsets: offsets.length, removedGroup: dead }, why)
    await s.store.deleteRecords(group.groupId, offsets, dead)
  }
}

function expiredOffsets(group: Group, now: number, retentionMs: number): { topic: string; partition: number }[] {
  let base: ((commitTimestamp: number) => number) | undefined
  let unsubscribedOnly: Set<string> | undefined
  if (group.protocolType !== null && group.is('Empty')) {
    // Nobody consumes: retention counts from when the group became empty.
    base = () => group.currentStateTimestamp
  } else if (group.protocolType === null) {
    // A standalone consumer's offsets count from each commit.
    base = (t) => t
  } else if (group.is('Stable') && group.isConsumerGroup) {
    // A live group keeps what it subscribes to; offsets of topics it dropped expire from their commit.
    unsubscribedOnly = group.subscribedTopics()
    if (unsubscribedOnly !== undefined) base = (t) => t
  }
  if (base === undefined) return []
  const out: { topic: string; partition: number }[] = []
  for (const [topic, byPartition] of group.offsets) {
    if (unsubscribedOnly?.has(topic) === true) continue
    for (const [partition, o] of byPartition) {
      const expired = o.expireTimestamp !== undefined ? now >= o.expireTimestamp : now - base(o.commitTimestamp) >= retentionMs
      if (expired) out.push({ topic, partition })
    }
  }
  return out
}
