// DeleteAcls: every valid filter removes the stored ACLs it matches (all filters in one write) and
// its result lists them; an invalid filter gets its own error and removes nothing.
import type { DeleteAclsRequest, DeleteAclsResponse } from '../../protocol/messages/delete-acls'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode, wireMessage } from '../error-mapping'
import { filterProblem } from '../acls/acl-match'
import { NO_AUTHORIZER_MESSAGE, compareBindings, filterFromWire } from '../acls/acl-wire'

export async function handleDeleteAcls(req: DeleteAclsRequest, ctx: RequestContext): Promise<DeleteAclsResponse> {
  const result = (errorCode: number, errorMessage: string | null): DeleteAclsResponse['filterResults'][number] => ({ errorCode, errorMessage, matchingAcls: [] })
  const authorizer = ctx.cluster.authorizer
  if (authorizer === undefined) {
    return { throttleTimeMs: 0, filterResults: req.filters.map(() => result(ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER_MESSAGE)) }
  }
  const filters = req.filters.map(filterFromWire)
  const problems = filters.map(filterProblem)
  const filterResults = problems.map((p) => (p === undefined ? result(ErrorCode.NONE, null) : result(ErrorCode.INVALID_REQUEST, p)))
  const valid = filters.filter((_, i) => problems[i] === undefined)
  if (valid.length === 0) return { throttleTimeMs: 0, filterResults }
  let removed: ReturnType<typeof authorizer.store.delete>
  try {
    removed = authorizer.store.delete(valid)
  } catch (err) {
    ctx.log.error({ err }, 'deleting ACLs failed')
    for (const r of filterResults) if (r.errorCode === ErrorCode.NONE) Object.assign(r, { errorCode: wireCode(err), errorMessage: wireMessage(err) })
    return { throttleTimeMs: 0, filterResults }
  }
  let next = 0
  problems.forEach((p, i) => {
    if (p !== undefined) return
    filterResults[i].matchingAcls = removed[next++].sort(compareBindings).map((b) => ({ errorCode: ErrorCode.NONE, errorMessage: null, ...b }))
  })
  if (removed.some((r) => r.length > 0)) ctx.log.info({ acls: removed.flat().length, principal: ctx.principal }, 'ACLs deleted')
  return { throttleTimeMs: 0, filterResults }
}
