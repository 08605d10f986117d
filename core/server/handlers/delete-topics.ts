// DeleteTopics: removes the topic, its data and every group's committed offsets for it. Refused
// when delete.topic.enable is false and for internal topics.
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../../protocol/messages/delete-topics'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode } from '../error-mapping'

export async function handleDeleteTopics(req: DeleteTopicsRequest, ctx: RequestContext): Promise<DeleteTopicsResponse> {
  const responses: DeleteTopicsResponse['responses'] = []
  for (const name of req.topicNames) responses.push({ name, errorCode: await deleteOne(ctx, name) })
  return { throttleTimeMs: 0, responses }
}

async function deleteOne(ctx: RequestContext, name: string): Promise<number> {
  const cluster = ctx.cluster
  if (!cluster.config['delete.topic.enable']) return ErrorCode.TOPIC_DELETION_DISABLED
  if (cluster.logs.topic(name) === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  if (cluster.isInternalTopic(name)) return ErrorCode.TOPIC_AUTHORIZATION_FAILED
  try {
    await cluster.logs.deleteTopic(name)
    ctx.log.info({ topic: name }, 'topic deleted')
    // As Kafka: committed offsets of a deleted topic go too; a recreated topic must not resume at them.
    await cluster.groups.deleteTopicOffsets([name])
    return ErrorCode.NONE
  } catch (err) {
    return wireCode(err)
  }
}
