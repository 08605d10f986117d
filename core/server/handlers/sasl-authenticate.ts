// SaslAuthenticate v0-2: one round of the mechanism chosen by SaslHandshake. A failure answers
// SASL_AUTHENTICATION_FAILED with the reason, then the connection closes (connection.ts).
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from '../../protocol/messages/sasl-authenticate'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleSaslAuthenticate(req: SaslAuthenticateRequest, ctx: RequestContext): Promise<SaslAuthenticateResponse> {
  const session = ctx.sasl
  const empty = Buffer.alloc(0)
  if (session === undefined) {
    return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: `SASL is not enabled on listener ${ctx.listenerName}`, authBytes: empty, sessionLifetimeMs: 0 }
  }
  const step = session.authenticate(req.authBytes)
  if (step.kind === 'failed') {
    ctx.log.info({ reason: step.message }, 'SASL authentication failed')
    const code = step.illegalState === true ? ErrorCode.ILLEGAL_SASL_STATE : ErrorCode.SASL_AUTHENTICATION_FAILED
    return { errorCode: code, errorMessage: step.message, authBytes: empty, sessionLifetimeMs: 0 }
  }
  if (step.kind === 'done') ctx.log.debug({ user: step.user }, 'SASL authentication succeeded')
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: step.reply, sessionLifetimeMs: 0 }
}
