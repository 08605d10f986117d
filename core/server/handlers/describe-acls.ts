// DescribeAcls: the stored ACLs one filter selects, grouped by resource pattern as Kafka answers.
import type { DescribeAclsRequest, DescribeAclsResponse } from '../../protocol/messages/describe-acls'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { filterProblem } from '../acls/acl-match'
import { NO_AUTHORIZER_MESSAGE, compareBindings, filterFromWire } from '../acls/acl-wire'

export async function handleDescribeAcls(req: DescribeAclsRequest, ctx: RequestContext): Promise<DescribeAclsResponse> {
  const fail = (errorCode: number, errorMessage: string): DescribeAclsResponse => ({ throttleTimeMs: 0, errorCode, errorMessage, resources: [] })
  const authorizer = ctx.cluster.authorizer
  if (authorizer === undefined) return fail(ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER_MESSAGE)
  const filter = filterFromWire(req)
  const problem = filterProblem(filter)
  if (problem !== undefined) return fail(ErrorCode.INVALID_REQUEST, problem)
  const resources: DescribeAclsResponse['resources'] = []
  let last: DescribeAclsResponse['resources'][number] | undefined
  for (const b of authorizer.store.match(filter).sort(compareBindings)) {
    if (last === undefined || last.resourceType !== b.resourceType || last.resourceName !== b.resourceName || last.patternType !== b.patternType) {
      last = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] }
      resources.push(last)
    }
    last.acls.push({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType })
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources }
}
