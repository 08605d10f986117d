// CreateAcls: each creation is checked on its own (one bad ACL does not fail the others), the
// valid ones are stored together; an ACL that already exists is no error, as in Kafka.
import type { CreateAclsRequest, CreateAclsResponse } from '../../protocol/messages/create-acls'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode, wireMessage } from '../error-mapping'
import { creationProblem } from '../acls/acl-match'
import { NO_AUTHORIZER_MESSAGE, bindingFromWire } from '../acls/acl-wire'

export async function handleCreateAcls(req: CreateAclsRequest, ctx: RequestContext): Promise<CreateAclsResponse> {
  const authorizer = ctx.cluster.authorizer
  if (authorizer === undefined) {
    return { throttleTimeMs: 0, results: req.creations.map(() => ({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER_MESSAGE })) }
  }
  const bindings = req.creations.map(bindingFromWire)
  const results: CreateAclsResponse['results'] = bindings.map((b) => {
    const problem = creationProblem(b)
    return problem === undefined ? { errorCode: ErrorCode.NONE, errorMessage: null } : { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: problem }
  })
  const valid = bindings.filter((_, i) => results[i].errorCode === ErrorCode.NONE)
  if (valid.length > 0) {
    try {
      authorizer.store.create(valid)
      ctx.log.info({ acls: valid.length, principal: ctx.principal }, 'ACLs created')
    } catch (err) {
      ctx.log.error({ err }, 'storing ACLs failed')
      for (const r of results) if (r.errorCode === ErrorCode.NONE) Object.assign(r, { errorCode: wireCode(err), errorMessage: wireMessage(err) })
    }
  }
  return { throttleTimeMs: 0, results }
}
