// AlterUserScramCredentials v0: upsert or delete users' SCRAM credentials, cluster-wide and durable
// before the answer. The client sends a salted password (Hi(password, salt, iterations)); the
// broker keeps only the derived stored and server keys. New credentials apply to the next
// authentication; connections already authenticated stay so, as in Kafka.
import type { AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse } from '../../protocol/messages/alter-user-scram-credentials'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleAlterUserScramCredentials(req: AlterUserScramCredentialsRequest, ctx: RequestContext): Promise<AlterUserScramCredentialsResponse> {
  const store = ctx.cluster.scramCredentials
  if (store === undefined) {
    const users = [...new Set([...req.deletions, ...req.upsertions].map((a) => a.name))]
    return { throttleTimeMs: 0, results: users.map((user) => ({ user, errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'SCRAM credentials are not available' })) }
  }
  const results = store.alter(req.deletions, req.upsertions)
  ctx.log.info({ principal: ctx.principal, results: results.map((r) => `${r.user}:${r.errorCode}`) }, 'SCRAM credentials altered')
  return { throttleTimeMs: 0, results }
}
