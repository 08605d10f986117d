// The checks every partition-level request makes before touching the log: the topic and
// partition exist, and this logical broker leads the partition.
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
