// LeaveGroup: v0-2 name one member and carry its error at the top level (as Kafka does);
// v3 takes a batch of members (static ones may be named by instance id alone) with per-member errors.
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../protocol/messages/leave-group'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { groupRouting } from './group-routing'

export async function handleLeaveGroup(req: LeaveGroupRequest, ctx: RequestContext): Promise<LeaveGroupResponse> {
  const batch = ctx.apiVersion >= 3
  const members = batch ? req.members : [{ memberId: req.memberId, groupInstanceId: null }]
  const routing = groupRouting(ctx, req.groupId)
  if (routing !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: routing, members: [] }
  const r = await ctx.cluster.groups.leaveGroup(req.groupId, members)
  if (batch) return { throttleTimeMs: 0, errorCode: r.errorCode, members: r.members }
  const errorCode = r.errorCode !== ErrorCode.NONE ? r.errorCode : r.members[0]?.errorCode ?? ErrorCode.NONE
  return { throttleTimeMs: 0, errorCode }
}
