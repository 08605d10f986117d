// InitProducerId: a fresh producer id (epoch 0) for idempotent producers, unique across restarts.
// Transactions are not supported: a transactional id gets an id too, but the transaction APIs
// themselves are not served, so transactional producers fail at their first AddPartitionsToTxn.
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/messages/init-producer-id'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export async function handleInitProducerId(_req: InitProducerIdRequest, ctx: RequestContext): Promise<InitProducerIdResponse> {
  try {
    const producerId = ctx.cluster.producerIds.allocate()
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 }
  } catch (err) {
    ctx.log.error({ err }, 'cannot allocate a producer id')
    return { throttleTimeMs: 0, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, producerId: -1, producerEpoch: -1 }
  }
}
