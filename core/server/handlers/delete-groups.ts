// DeleteGroups v0-1: removes Empty groups with their committed offsets; groups with members
// get NON_EMPTY_GROUP, unknown ones GROUP_ID_NOT_FOUND.
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../../protocol/messages/delete-groups'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { groupRouting } from './group-routing'

export async function handleDeleteGroups(req: DeleteGroupsRequest, ctx: RequestContext): Promise<DeleteGroupsResponse> {
  const results: DeleteGroupsResponse['results'] = []
  for (const groupId of req.groupsNames) {
    const routing = groupRouting(ctx, groupId)
    if (routing !== ErrorCode.NONE) {
      results.push({ groupId, errorCode: routing })
      continue
    }
    const [r] = await ctx.cluster.groups.deleteGroups([groupId])
    results.push(r)
  }
  return { throttleTimeMs: 0, results }
}
