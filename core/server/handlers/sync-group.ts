// SyncGroup v0-3: the leader hands in the assignment; every member's response waits for it.
import type { SyncGroupRequest, SyncGroupResponse } from '../../protocol/messages/sync-group'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { groupRouting } from './group-routing'

export async function handleSyncGroup(req: SyncGroupRequest, ctx: RequestContext): Promise<SyncGroupResponse> {
  const routing = groupRouting(ctx, req.groupId)
  if (routing !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: routing, assignment: Buffer.alloc(0) }
  const r = await ctx.cluster.groups.syncGroup({
    groupId: req.groupId,
    generationId: req.generationId,
    memberId: req.memberId,
    groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId : null,
    assignments: req.assignments,
  })
  return { throttleTimeMs: 0, errorCode: r.errorCode, assignment: r.assignment }
}
