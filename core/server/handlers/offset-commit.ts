// OffsetCommit v2-7. Partitions of topics that do not exist are refused here
// (UNKNOWN_TOPIC_OR_PARTITION); the rest go to the coordinator. v2-4 may carry a retention
// time, v6 adds the leader epoch, v7 the group.instance.id.
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/messages/offset-commit'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { codesInRequestOrder, existingPartitions, groupRouting } from './group-routing'

export async function handleOffsetCommit(req: OffsetCommitRequest, ctx: RequestContext): Promise<OffsetCommitResponse> {
  const routing = groupRouting(ctx, req.groupId)
  const all = (errorCode: number): OffsetCommitResponse => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  })
  if (routing !== ErrorCode.NONE) return all(routing)
  const known = existingPartitions(ctx, req.topics)
  const r = known.length === 0 ? { topics: [] } : await ctx.cluster.groups.commitOffsets({
    groupId: req.groupId,
    generationId: req.generationIdOrMemberEpoch,
    memberId: req.memberId,
    groupInstanceId: ctx.apiVersion >= 7 ? req.groupInstanceId : null,
    retentionTimeMs: ctx.apiVersion <= 4 ? req.retentionTimeMs : -1,
    topics: known.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        committedOffset: p.committedOffset,
        committedLeaderEpoch: ctx.apiVersion >= 6 ? p.committedLeaderEpoch : -1,
        committedMetadata: p.committedMetadata,
      })),
    })),
  })
  return { throttleTimeMs: 0, topics: codesInRequestOrder(req.topics, r.topics) }
}
