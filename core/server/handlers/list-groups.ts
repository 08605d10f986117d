// ListGroups v0-2: the groups this node coordinates (clients ask every node and merge).
import type { ListGroupsRequest, ListGroupsResponse } from '../../protocol/messages/list-groups'
import type { RequestContext } from '../request-context'

export async function handleListGroups(_req: ListGroupsRequest, ctx: RequestContext): Promise<ListGroupsResponse> {
  const r = await ctx.cluster.groups.listGroups()
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    groups: r.groups
      .filter((g) => ctx.cluster.coordinatorFor(g.groupId) === ctx.nodeId)
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
  }
}
