// The checks every partition-level request makes before touching the log: the topic and
// partition exist, and this logical broker leads the partition; and the walk over a request's
// topics and partitions that answers each in request order.
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'

type PartitionLog = NonNullable<ReturnType<RequestContext['cluster']['logs']['partition']>>

export type Access = { log: PartitionLog; errorCode: 0 } | { log: undefined; errorCode: number }

export function partitionFor(ctx: RequestContext, topic: string, partition: number): Access {
  const t = ctx.cluster.logs.topic(topic)
  if (t === undefined || partition < 0 || partition >= t.partitions.length) {
    return { log: undefined, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }
  }
  if (ctx.cluster.leaderFor(topic, partition) !== ctx.nodeId) {
    return { log: undefined, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }
  }
  return { log: t.partitions[partition] as PartitionLog, errorCode: 0 }
}

/** Answers every partition of every topic (concurrently), keeping the request's order and topic names. */
export async function eachPartition<P, R>(
  topics: { name: string; partitions: P[] }[],
  answer: (topic: string, partition: P) => Promise<R>,
): Promise<{ name: string; partitions: R[] }[]> {
  return Promise.all(topics.map(async (t) => ({ name: t.name, partitions: await Promise.all(t.partitions.map((p) => answer(t.name, p))) })))
}
