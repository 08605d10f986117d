// Metadata: brokers, cluster id, controller, and per-topic leaders. Unknown topics are created
// when the request allows it and auto.create.topics.enable is on. topics = null lists every
// topic; an empty list lists none.
import type { MetadataRequest, MetadataResponse } from '../../protocol/messages/metadata'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { endpointFor } from '../cluster-state'
import { createTopic, topicNameProblem } from '../topic-admin'

type TopicMetadata = MetadataResponse['topics'][number]

export async function handleMetadata(req: MetadataRequest, ctx: RequestContext): Promise<MetadataResponse> {
  const cluster = ctx.cluster
  const names = req.topics === null ? cluster.logs.listTopics().sort() : req.topics.map((t) => t.name)
  const topics: TopicMetadata[] = []
  for (const name of names) topics.push(await describeTopic(ctx, name, req.topics !== null && req.allowAutoTopicCreation))
  return {
    throttleTimeMs: 0,
    brokers: cluster.nodes.map((n) => ({ nodeId: n.nodeId, ...endpointFor(n, ctx.listenerName), rack: null })),
    clusterId: cluster.clusterId,
    controllerId: cluster.controllerId,
    topics,
  }
}

async function describeTopic(ctx: RequestContext, name: string, mayCreate: boolean): Promise<TopicMetadata> {
  const cluster = ctx.cluster
  const empty = { name, isInternal: cluster.isInternalTopic(name), partitions: [] }
  let topic = cluster.logs.topic(name)
  if (topic === undefined) {
    if (topicNameProblem(name) !== undefined) return { ...empty, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION }
    if (!mayCreate || !cluster.config['auto.create.topics.enable'] || cluster.isInternalTopic(name)) {
      return { ...empty, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }
    }
    const out = await createTopic(cluster, { name, numPartitions: -1, replicationFactor: -1, configs: {} }, false)
    if (out.errorCode !== ErrorCode.NONE && out.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) return { ...empty, errorCode: out.errorCode }
    ctx.log.info({ topic: name }, 'topic auto-created')
    topic = cluster.logs.topic(name)
    if (topic === undefined) return { ...empty, errorCode: ErrorCode.LEADER_NOT_AVAILABLE }
  }
  return {
    ...empty,
    errorCode: ErrorCode.NONE,
    partitions: topic.partitions.map((_, i) => {
      const leader = cluster.leaderFor(name, i)
      return { errorCode: ErrorCode.NONE, partitionIndex: i, leaderId: leader, replicaNodes: [leader], isrNodes: [leader], offlineReplicas: [] }
    }),
  }
}
