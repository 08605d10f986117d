// OffsetDelete v0: drops a group's committed offsets for some partitions, refused per partition
// (GROUP_SUBSCRIBED_TO_TOPIC) for topics the live group still consumes.
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/messages/offset-delete'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { coordinator, groupRouting, partitionExists } from './group-access'

export async function handleOffsetDelete(req: OffsetDeleteRequest, ctx: RequestContext): Promise<OffsetDeleteResponse> {
  const routing = groupRouting(ctx, req.groupId)
  if (routing !== ErrorCode.NONE) return { errorCode: routing, throttleTimeMs: 0, topics: [] }
  const known = req.topics
    .map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => partitionExists(ctx, t.name, p.partitionIndex)) }))
    .filter((t) => t.partitions.length > 0)
  const r = await coordinator(ctx)!.deleteOffsets({ groupId: req.groupId, topics: known })
  if (r.errorCode !== ErrorCode.NONE) return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] }
  const codes = new Map<string, number>()
  for (const t of r.topics) for (const p of t.partitions) codes.set(`${t.name}\u0000${p.partitionIndex}`, p.errorCode)
  return {
    errorCode: ErrorCode.NONE,
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
