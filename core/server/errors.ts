// Errors of the broker itself (as opposed to wire error codes, which handlers put in responses).
import { defineError } from '../../config/errors'

export const NoHandlerError = defineError('NoHandlerError', 'SERVER_NO_HANDLER',
  'The protocol registry decodes an API that no broker handler serves; this is a Godwit bug, please report it.')

export const ListenError = defineError('ListenError', 'SERVER_LISTEN',
  'A broker listener could not bind its host and port (in use, not permitted, or the host does not resolve); pick another listener address.')

/**
 * Thrown by a handler that must end the connection without a response, as Kafka does when an
 * acks=0 produce fails (the only way such a producer learns something went wrong).
 */
export class CloseConnection extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'CloseConnection'
  }
}
