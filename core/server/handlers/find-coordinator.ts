// FindCoordinator v0-2: the node leading the group's __consumer_offsets partition. Only group
// keys are served; Godwit has no transaction coordinator.
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../../protocol/messages/find-coordinator'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { endpointFor } from '../cluster-state'

const GROUP_KEY = 0
const TRANSACTION_KEY = 1

export async function handleFindCoordinator(req: FindCoordinatorRequest, ctx: RequestContext): Promise<FindCoordinatorResponse> {
  const fail = (errorCode: number, why: string): FindCoordinatorResponse =>
    ({ throttleTimeMs: 0, errorCode, errorMessage: why, nodeId: -1, host: '', port: -1 })
  const keyType = req.keyType ?? GROUP_KEY
  if (keyType === TRANSACTION_KEY) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'transactions are not supported by this broker')
  if (keyType !== GROUP_KEY) return fail(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${keyType}`)
  const node = ctx.cluster.node(ctx.cluster.coordinatorFor(req.key))
  if (node === undefined) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the coordinator node is not known')
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: node.nodeId, ...endpointFor(node, ctx.listenerName) }
}
