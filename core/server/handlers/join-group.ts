// JoinGroup v0-5. v0 has no rebalance timeout (the session timeout stands in, as in Kafka);
// from v4 a new member must first obtain its member id (MEMBER_ID_REQUIRED); v5 adds static
// membership. The response waits until the group's join phase completes.
import type { JoinGroupRequest, JoinGroupResponse } from '../../protocol/messages/join-group'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { clientHostOf, groupRouting } from './group-routing'

export async function handleJoinGroup(req: JoinGroupRequest, ctx: RequestContext): Promise<JoinGroupResponse> {
  const routing = groupRouting(ctx, req.groupId)
  if (routing !== ErrorCode.NONE) {
    return { throttleTimeMs: 0, errorCode: routing, generationId: -1, protocolName: '', leader: '', memberId: req.memberId, members: [] }
  }
  const r = await ctx.cluster.groups.joinGroup({
    groupId: req.groupId,
    memberId: req.memberId,
    groupInstanceId: ctx.apiVersion >= 5 ? req.groupInstanceId : null,
    requireKnownMemberId: ctx.apiVersion >= 4,
    clientId: ctx.clientId ?? '',
    clientHost: clientHostOf(ctx),
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: ctx.apiVersion >= 1 && req.rebalanceTimeoutMs >= 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
    protocolType: req.protocolType,
    protocols: req.protocols,
  })
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolName: r.protocolName ?? '',
    leader: r.leader,
    memberId: r.memberId,
    members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
  }
}
