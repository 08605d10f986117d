// ACL guards of the topic APIs, with Kafka's rules: Produce needs WRITE, Fetch READ, ListOffsets
// and Metadata DESCRIBE on each topic; CreateTopics CREATE on the cluster or the topic;
// DeleteTopics and DeleteRecords DELETE, CreatePartitions ALTER; InitProducerId IDEMPOTENT_WRITE
// on the cluster or WRITE on some topic (WRITE on the transactional id for transactions).
import { ApiKey } from '../../protocol/api-keys'
import { ErrorCode } from '../../protocol/error-codes'
import { CloseConnection } from '../errors'
import { AclOperation as Op, CLUSTER_RESOURCE_NAME, ResourceType as Res } from './acl-types'
import { split, type GuardTable } from './enforce'

const TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED

export const TOPIC_GUARDS: GuardTable = {
  [ApiKey.Produce]: (req, { can }) => {
    const txDenied = req.transactionalId !== null && !can(Op.WRITE, Res.TRANSACTIONAL_ID, req.transactionalId)
    const [allowed, denied] = txDenied ? [[], req.topicData] : split(req.topicData, (t) => t.name, (n) => can(Op.WRITE, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const errorCode = txDenied ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : TOPIC_DENIED
    const refused = denied.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => ({ index: p.index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 })),
    }))
    return {
      request: { ...req, topicData: allowed },
      patch: (res) => {
        // acks=0: no response to carry the error; Kafka closes the connection instead.
        if (res === undefined) throw new CloseConnection(`acks=0 produce refused: not authorized to write ${denied.map((t) => t.name).join(', ')}`)
        return { ...res, responses: [...res.responses, ...refused] }
      },
    }
  },

  [ApiKey.Fetch]: (req, { can }) => {
    const [allowed, denied] = split(req.topics, (t) => t.topic, (n) => can(Op.READ, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partition, errorCode: TOPIC_DENIED, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1,
        abortedTransactions: null, preferredReadReplica: -1, records: null,
      })),
    }))
    // Nothing readable: answer at once rather than long-poll on nothing, as Kafka does.
    if (allowed.length === 0) return { respond: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: refused } }
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, responses: [...res.responses, ...refused] }) }
  },

  [ApiKey.ListOffsets]: (req, { can }) => {
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.DESCRIBE, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: TOPIC_DENIED, timestamp: -1, offset: -1 })) }))
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, topics: [...res.topics, ...refused] }) }
  },

  [ApiKey.Metadata]: (req, { can, ctx }) => {
    // All topics: the ones the principal may not describe are simply left out.
    if (req.topics === null) return { patch: (res) => ({ ...res, topics: res.topics.filter((t) => can(Op.DESCRIBE, Res.TOPIC, t.name)) }) }
    const refused = new Map<string, number>()
    const mayCreate = (name: string): boolean => can(Op.CREATE, Res.CLUSTER, CLUSTER_RESOURCE_NAME) || can(Op.CREATE, Res.TOPIC, name)
    for (const { name } of req.topics) {
      if (!can(Op.DESCRIBE, Res.TOPIC, name)) refused.set(name, TOPIC_DENIED)
      // Auto-creation needs CREATE; without it a missing topic is just unknown.
      else if (req.allowAutoTopicCreation && ctx.cluster.logs.topic(name) === undefined && !mayCreate(name)) refused.set(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    }
    if (refused.size === 0) return {}
    const asked = req.topics
    return {
      request: { ...req, topics: asked.filter((t) => !refused.has(t.name)) },
      patch: (res) => {
        const answered = new Map(res.topics.map((t) => [t.name, t]))
        const topics = asked.map((t) => answered.get(t.name)
          ?? { errorCode: refused.get(t.name)!, name: t.name, isInternal: ctx.cluster.isInternalTopic(t.name), partitions: [] })
        return { ...res, topics }
      },
    }
  },

  [ApiKey.CreateTopics]: (req, { can }) => {
    if (can(Op.CREATE, Res.CLUSTER, CLUSTER_RESOURCE_NAME)) return {}
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.CREATE, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((t) => ({ name: t.name, errorCode: TOPIC_DENIED, errorMessage: null }))
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, topics: [...res.topics, ...refused] }) }
  },

  [ApiKey.DeleteTopics]: (req, { can }) => {
    const [allowed, denied] = split(req.topicNames, (n) => n, (n) => can(Op.DELETE, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((name) => ({ name, errorCode: TOPIC_DENIED }))
    return { request: { ...req, topicNames: allowed }, patch: (res) => ({ ...res, responses: [...res.responses, ...refused] }) }
  },

  [ApiKey.CreatePartitions]: (req, { can }) => {
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.ALTER, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((t) => ({ name: t.name, errorCode: TOPIC_DENIED, errorMessage: null }))
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, results: [...res.results, ...refused] }) }
  },

  [ApiKey.DeleteRecords]: (req, { can }) => {
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.DELETE, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: TOPIC_DENIED })) }))
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, topics: [...res.topics, ...refused] }) }
  },

  [ApiKey.InitProducerId]: (req, { can, canAny }) => {
    const fail = (errorCode: number): { respond: { throttleTimeMs: number; errorCode: number; producerId: number; producerEpoch: number } } =>
      ({ respond: { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 } })
    if (req.transactionalId !== null) return can(Op.WRITE, Res.TRANSACTIONAL_ID, req.transactionalId) ? {} : fail(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    if (can(Op.IDEMPOTENT_WRITE, Res.CLUSTER, CLUSTER_RESOURCE_NAME) || canAny(Op.WRITE, Res.TOPIC)) return {}
    return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
  },
}
