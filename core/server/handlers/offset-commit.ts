// OffsetCommit v2-7. Partitions of topics that do not exist are refused here
// (UNKNOWN_TOPIC_OR_PARTITION); the rest go to the coordinator. v2-4 may carry a retention
// time, v6 adds the leader epoch, v7 the group.instance.id.
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/messages/offset-commit'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { coordinator, groupRouting, partitionExists } from './group-access'

export async function handleOffsetCommit(req: OffsetCommitRequest, ctx: RequestContext): Promise<OffsetCommitResponse> {
  const routing = groupRouting(ctx, req.groupId)
  const all = (errorCode: number): OffsetCommitResponse => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  })
  if (routing !== ErrorCode.NONE) return all(routing)
  const known = req.topics
    .map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => partitionExists(ctx, t.name, p.partitionIndex)) }))
    .filter((t) => t.partitions.length > 0)
  const r = known.length === 0 ? { topics: [] } : await coordinator(ctx)!.commitOffsets({
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
  const codes = new Map<string, number>()
  for (const t of r.topics) for (const p of t.partitions) codes.set(`${t.name}\u0000${p.partitionIndex}`, p.errorCode)
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: codes.get(`${t.name}\u0000${p.partitionIndex}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })),
    })),
  }
}
