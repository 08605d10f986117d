// InitProducerId: a fresh producer id (epoch 0) for idempotent producers, unique across restarts.
// Transactions are not supported: a request with a transactional id is refused here, at the
// producer's first step, rather than letting it fail later on an API the broker does not serve.
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/messages/init-producer-id'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleInitProducerId(req: InitProducerIdRequest, ctx: RequestContext): Promise<InitProducerIdResponse> {
  const refuse = (errorCode: number): InitProducerIdResponse => ({ throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 })
  if (req.transactionalId !== null) {
    ctx.log.warn({ transactionalId: req.transactionalId, clientId: ctx.clientId }, 'transactional producer refused: Godwit does not support transactions')
    return refuse(ErrorCode.INVALID_REQUEST)
  }
  try {
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: ctx.cluster.producerIds.allocate(), producerEpoch: 0 }
  } catch (err) {
    ctx.log.error({ err }, 'cannot allocate a producer id')
    return refuse(ErrorCode.KAFKA_STORAGE_ERROR)
  }
}
