// CreatePartitions: grow a topic to `count` partitions (never shrink); new leaders follow the
// same round-robin as the first ones.
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../../protocol/messages/create-partitions'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode, wireMessage } from '../error-mapping'

type Result = CreatePartitionsResponse['results'][number]

export async function handleCreatePartitions(req: CreatePartitionsRequest, ctx: RequestContext): Promise<CreatePartitionsResponse> {
  const results: Result[] = []
  for (const t of req.topics) results.push(await growOne(ctx, t.name, t.count, req.validateOnly))
  return { throttleTimeMs: 0, results }
}

async function growOne(ctx: RequestContext, name: string, count: number, validateOnly: boolean): Promise<Result> {
  const topic = ctx.cluster.logs.topic(name)
  if (topic === undefined) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.` }
  if (ctx.cluster.isInternalTopic(name)) return { name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Cannot add partitions to internal topic ${name}.` }
  const current = topic.partitions.length
  if (count <= current) {
    return { name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Topic currently has ${current} partitions, ${count} would not be an increase.` }
  }
  if (validateOnly) return { name, errorCode: ErrorCode.NONE, errorMessage: null }
  try {
    await ctx.cluster.logs.createPartitions(name, count)
    return { name, errorCode: ErrorCode.NONE, errorMessage: null }
  } catch (err) {
    return { name, errorCode: wireCode(err), errorMessage: wireMessage(err) }
  }
}
