// What the group handlers share: whether this node coordinates the group (clients that reach
// another node get NOT_COORDINATOR and ask FindCoordinator again), Kafka's form of client hosts,
// and the per-partition bookkeeping of OffsetCommit and OffsetDelete.
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

/** NONE when this node may serve the group, else the code to answer with. */
export function groupRouting(ctx: RequestContext, groupId: string): number {
  return ctx.cluster.coordinatorFor(groupId) === ctx.nodeId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR
}

/** Kafka shows client hosts as "/address". */
export function clientHostOf(ctx: RequestContext): string {
  return ctx.clientHost.startsWith('/') ? ctx.clientHost : `/${ctx.clientHost}`
}

interface TopicPartitions<P extends { partitionIndex: number }> { name: string; partitions: P[] }

/** The requested partitions that exist; topics left with none are dropped. */
export function existingPartitions<P extends { partitionIndex: number }>(ctx: RequestContext, topics: TopicPartitions<P>[]): TopicPartitions<P>[] {
  return topics
    .map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => ctx.cluster.logs.partition(t.name, p.partitionIndex) !== undefined) }))
    .filter((t) => t.partitions.length > 0)
}

/**
 * Answers every requested partition in request order with the coordinator's code for it;
 * partitions the coordinator never saw (they do not exist) get UNKNOWN_TOPIC_OR_PARTITION.
 */
export function codesInRequestOrder(
  requested: TopicPartitions<{ partitionIndex: number }>[],
  answered: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[],
): { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] {
  const codes = new Map<string, number>()
  for (const t of answered) for (const p of t.partitions) codes.set(`${t.name}\u0000${p.partitionIndex}`, p.errorCode)
  return requested.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      errorCode: codes.get(`${t.name}\u0000${p.partitionIndex}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    })),
  }))
}
