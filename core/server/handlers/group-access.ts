// What every group handler needs first: the coordinator, and whether this node coordinates the
// group (clients that reach another node get NOT_COORDINATOR and ask FindCoordinator again).
import type { GroupCoordinator } from '../../group'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

export function coordinator(ctx: RequestContext): GroupCoordinator | undefined {
  return ctx.cluster.groups as GroupCoordinator | undefined
}

/** NONE when this node may serve the group, else the code to answer with. */
export function groupRouting(ctx: RequestContext, groupId: string): number {
  if (coordinator(ctx) === undefined) return ErrorCode.COORDINATOR_NOT_AVAILABLE
  if (ctx.cluster.coordinatorFor(groupId) !== ctx.nodeId) return ErrorCode.NOT_COORDINATOR
  return ErrorCode.NONE
}

/** Kafka shows client hosts as "/address". */
export function clientHostOf(ctx: RequestContext): string {
  return ctx.clientHost.startsWith('/') ? ctx.clientHost : `/${ctx.clientHost}`
}

export function partitionExists(ctx: RequestContext, topic: string, partition: number): boolean {
  return ctx.cluster.logs.partition(topic, partition) !== undefined
}
