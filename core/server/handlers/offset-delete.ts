// OffsetDelete v0: drops a group's committed offsets for some partitions, refused per partition
// (GROUP_SUBSCRIBED_TO_TOPIC) for topics the live group still consumes.
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/messages/offset-delete'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { codesInRequestOrder, existingPartitions, groupRouting } from './group-routing'

export async function handleOffsetDelete(req: OffsetDeleteRequest, ctx: RequestContext): Promise<OffsetDeleteResponse> {
  const routing = groupRouting(ctx, req.groupId)
  if (routing !== ErrorCode.NONE) return { errorCode: routing, throttleTimeMs: 0, topics: [] }
  const known = existingPartitions(ctx, req.topics)
  const r = await ctx.cluster.groups.deleteOffsets({ groupId: req.groupId, topics: known })
  if (r.errorCode !== ErrorCode.NONE) return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] }
  return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics: codesInRequestOrder(req.topics, r.topics) }
}
