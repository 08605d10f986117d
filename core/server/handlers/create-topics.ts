// CreateTopics: -1 partitions / replication factor take the broker defaults; validateOnly checks
// everything and creates nothing; a name given twice in one request fails both entries.
import type { CreateTopicsRequest, CreateTopicsResponse } from '../../protocol/messages/create-topics'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { createTopic } from '../topic-admin'

export async function handleCreateTopics(req: CreateTopicsRequest, ctx: RequestContext): Promise<CreateTopicsResponse> {
  const counts = new Map<string, number>()
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  const topics: CreateTopicsResponse['topics'] = []
  for (const t of req.topics) {
    if ((counts.get(t.name) ?? 0) > 1) {
      topics.push({ name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Create topics request from client has multiple entries for topic ${t.name}.` })
      continue
    }
    if (t.assignments.length > 0) {
      topics.push({ name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Manual replica assignments are not supported; give numPartitions and replicationFactor.' })
      continue
    }
    const configs: Record<string, string> = {}
    for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value
    const out = await createTopic(ctx.cluster, { name: t.name, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor, configs }, req.validateOnly)
    if (out.errorCode === ErrorCode.NONE) ctx.log.info({ topic: t.name, partitions: out.numPartitions, validateOnly: req.validateOnly }, 'topic created')
    topics.push({ name: t.name, errorCode: out.errorCode, errorMessage: out.errorMessage })
  }
  return { throttleTimeMs: 0, topics }
}
