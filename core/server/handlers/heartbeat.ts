// Heartbeat v0-3: keeps a member's session alive and tells it when to rejoin (REBALANCE_IN_PROGRESS).
import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/messages/heartbeat'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { groupRouting } from './group-routing'

export async function handleHeartbeat(req: HeartbeatRequest, ctx: RequestContext): Promise<HeartbeatResponse> {
  const routing = groupRouting(ctx, req.groupId)
  if (routing !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: routing }
  const errorCode = await ctx.cluster.groups.heartbeat({
    groupId: req.groupId,
    generationId: req.generationId,
    memberId: req.memberId,
    groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId : null,
  })
  return { throttleTimeMs: 0, errorCode }
}
