// DescribeGroups v0-2: state, protocol and members of each group (metadata and assignments
// only while Stable); unknown groups are reported as Dead, as Kafka does.
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../../protocol/messages/describe-groups'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { groupRouting } from './group-routing'

type Described = DescribeGroupsResponse['groups'][number]

export async function handleDescribeGroups(req: DescribeGroupsRequest, ctx: RequestContext): Promise<DescribeGroupsResponse> {
  const groups = await Promise.all(req.groups.map(async (groupId): Promise<Described> => {
    const routing = groupRouting(ctx, groupId)
    if (routing !== ErrorCode.NONE) return { errorCode: routing, groupId, groupState: '', protocolType: '', protocolData: '', members: [] }
    const [g] = await ctx.cluster.groups.describeGroups([groupId])
    return {
      errorCode: g.errorCode,
      groupId,
      groupState: g.groupState,
      protocolType: g.protocolType,
      protocolData: g.protocolData,
      members: g.members.map((m) => ({
        memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, memberMetadata: m.memberMetadata, memberAssignment: m.memberAssignment,
      })),
    }
  }))
  return { throttleTimeMs: 0, groups }
}
