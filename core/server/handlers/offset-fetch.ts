// OffsetFetch v1-5: committed offsets of the named partitions, or (v2+, topics = null) all of
// the group's. v1 has no top-level error, so a group-level error goes on every partition.
import type { OffsetFetchRequest, OffsetFetchResponse } from '../../protocol/messages/offset-fetch'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { groupRouting } from './group-routing'

export async function handleOffsetFetch(req: OffsetFetchRequest, ctx: RequestContext): Promise<OffsetFetchResponse> {
  const routing = groupRouting(ctx, req.groupId)
  const topics = ctx.apiVersion >= 2 ? req.topics : req.topics ?? []
  const r = routing === ErrorCode.NONE
    ? await ctx.cluster.groups.fetchOffsets({ groupId: req.groupId, topics })
    : {
        errorCode: routing,
        topics: (topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) =>
            ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: routing })),
        })),
      }
  return { throttleTimeMs: 0, errorCode: r.errorCode, topics: r.topics }
}
