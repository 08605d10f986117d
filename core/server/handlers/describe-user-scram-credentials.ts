// DescribeUserScramCredentials v0: the mechanisms and iterations of users' SCRAM credentials set
// with AlterUserScramCredentials (never the keys). Users from a listener's JAAS config are static
// configuration and not listed, as Kafka does not list its JAAS file either.
import type { DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse } from '../../protocol/messages/describe-user-scram-credentials'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleDescribeUserScramCredentials(req: DescribeUserScramCredentialsRequest, ctx: RequestContext): Promise<DescribeUserScramCredentialsResponse> {
  const store = ctx.cluster.scramCredentials
  if (store === undefined) return { throttleTimeMs: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'SCRAM credentials are not available', results: [] }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results: store.describe(req.users === null ? null : req.users.map((u) => u.name)) }
}
