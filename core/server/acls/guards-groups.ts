// ACL guards of the group APIs, with Kafka's rules: JoinGroup, SyncGroup, Heartbeat, LeaveGroup
// and OffsetCommit need READ on the group (OffsetCommit READ on each topic too); OffsetFetch,
// DescribeGroups and FindCoordinator DESCRIBE (on the group, and on each topic for OffsetFetch);
// DeleteGroups and OffsetDelete DELETE on the group (OffsetDelete READ on each topic); ListGroups
// lists everything with DESCRIBE on the cluster, otherwise only the groups one may describe.
import { ApiKey } from '../../protocol/api-keys'
import { ErrorCode } from '../../protocol/error-codes'
import { AclOperation as Op, CLUSTER_RESOURCE_NAME, ResourceType as Res } from './acl-types'
import { split, type GuardTable } from './enforce'

const GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED
const TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED

export const GROUP_GUARDS: GuardTable = {
  [ApiKey.JoinGroup]: (req, { can }) => (can(Op.READ, Res.GROUP, req.groupId) ? {} : {
    respond: { throttleTimeMs: 0, errorCode: GROUP_DENIED, generationId: -1, protocolName: '', leader: '', memberId: req.memberId, members: [] },
  }),
  [ApiKey.SyncGroup]: (req, { can }) => (can(Op.READ, Res.GROUP, req.groupId) ? {} : { respond: { throttleTimeMs: 0, errorCode: GROUP_DENIED, assignment: Buffer.alloc(0) } }),
  [ApiKey.Heartbeat]: (req, { can }) => (can(Op.READ, Res.GROUP, req.groupId) ? {} : { respond: { throttleTimeMs: 0, errorCode: GROUP_DENIED } }),
  [ApiKey.LeaveGroup]: (req, { can }) => (can(Op.READ, Res.GROUP, req.groupId) ? {} : { respond: { throttleTimeMs: 0, errorCode: GROUP_DENIED, members: [] } }),

  [ApiKey.FindCoordinator]: (req, { can }) => {
    // keyType 0 is a group, 1 a transactional id.
    const ok = req.keyType === 1 ? can(Op.DESCRIBE, Res.TRANSACTIONAL_ID, req.key) : can(Op.DESCRIBE, Res.GROUP, req.key)
    if (ok) return {}
    const errorCode = req.keyType === 1 ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : GROUP_DENIED
    return { respond: { throttleTimeMs: 0, errorCode, errorMessage: null, nodeId: -1, host: '', port: -1 } }
  },

  [ApiKey.DescribeGroups]: (req, { can }) => {
    const [allowed, denied] = split(req.groups, (g) => g, (g) => can(Op.DESCRIBE, Res.GROUP, g))
    if (denied.length === 0) return {}
    const refused = denied.map((groupId) => ({ errorCode: GROUP_DENIED, groupId, groupState: '', protocolType: '', protocolData: '', members: [] }))
    return { request: { ...req, groups: allowed }, patch: (res) => ({ ...res, groups: [...res.groups, ...refused] }) }
  },

  [ApiKey.ListGroups]: (_req, { can }) => (can(Op.DESCRIBE, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? {} : {
    patch: (res) => ({ ...res, groups: res.groups.filter((g) => can(Op.DESCRIBE, Res.GROUP, g.groupId)) }),
  }),

  [ApiKey.DeleteGroups]: (req, { can }) => {
    const [allowed, denied] = split(req.groupsNames, (g) => g, (g) => can(Op.DELETE, Res.GROUP, g))
    if (denied.length === 0) return {}
    const refused = denied.map((groupId) => ({ groupId, errorCode: GROUP_DENIED }))
    return { request: { ...req, groupsNames: allowed }, patch: (res) => ({ ...res, results: [...res.results, ...refused] }) }
  },

  [ApiKey.OffsetCommit]: (req, { can }) => {
    const refuse = (topics: typeof req.topics, errorCode: number): { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] =>
      topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }))
    if (!can(Op.READ, Res.GROUP, req.groupId)) return { respond: { throttleTimeMs: 0, topics: refuse(req.topics, GROUP_DENIED) } }
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.READ, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = refuse(denied, TOPIC_DENIED)
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, topics: [...res.topics, ...refused] }) }
  },

  [ApiKey.OffsetFetch]: (req, { can, ctx }) => {
    const refuse = (topics: { name: string; partitionIndexes: number[] }[], errorCode: number): { name: string; partitions: { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; metadata: string; errorCode: number }[] }[] =>
      topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode })) }))
    if (!can(Op.DESCRIBE, Res.GROUP, req.groupId)) {
      // v2+ has a top-level error; v1 only per partition.
      return { respond: { throttleTimeMs: 0, errorCode: GROUP_DENIED, topics: ctx.apiVersion >= 2 ? [] : refuse(req.topics ?? [], GROUP_DENIED) } }
    }
    if (req.topics === null) return { patch: (res) => ({ ...res, topics: res.topics.filter((t) => can(Op.DESCRIBE, Res.TOPIC, t.name)) }) }
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.DESCRIBE, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = refuse(denied, TOPIC_DENIED)
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, topics: [...res.topics, ...refused] }) }
  },

  [ApiKey.OffsetDelete]: (req, { can }) => {
    if (!can(Op.DELETE, Res.GROUP, req.groupId)) return { respond: { errorCode: GROUP_DENIED, throttleTimeMs: 0, topics: [] } }
    const [allowed, denied] = split(req.topics, (t) => t.name, (n) => can(Op.READ, Res.TOPIC, n))
    if (denied.length === 0) return {}
    const refused = denied.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: TOPIC_DENIED })) }))
    return { request: { ...req, topics: allowed }, patch: (res) => ({ ...res, topics: [...res.topics, ...refused] }) }
  },
}
