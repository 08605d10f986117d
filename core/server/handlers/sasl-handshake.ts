// SaslHandshake v0-1: the client names its mechanism; the answer lists the enabled ones. An
// unsupported mechanism, a second handshake, or a handshake on a listener without SASL is
// answered with its error and the connection closes (Kafka's SaslServerAuthenticator).
// v0 would be followed by raw (header-less) tokens, which Godwit does not read: v0 is answered
// with ILLEGAL_SASL_STATE; kafkajs and librdkafka use v1 and SaslAuthenticate.
import type { SaslHandshakeRequest, SaslHandshakeResponse } from '../../protocol/messages/sasl-handshake'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleSaslHandshake(req: SaslHandshakeRequest, ctx: RequestContext): Promise<SaslHandshakeResponse> {
  const session = ctx.sasl
  if (session === undefined) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }
  const mechanisms = [...session.config.mechanisms]
  if (ctx.apiVersion === 0) {
    session.state = 'failed'
    return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms }
  }
  if (session.state !== 'handshake') {
    session.state = 'failed'
    return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms }
  }
  if (!session.handshake(req.mechanism.toUpperCase())) {
    ctx.log.info({ mechanism: req.mechanism, enabled: mechanisms }, 'SASL mechanism not enabled')
    return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms }
  }
  return { errorCode: ErrorCode.NONE, mechanisms }
}
