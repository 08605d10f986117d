// ACL guards of the config and ACL APIs, with Kafka's rules: DescribeConfigs needs
// DESCRIBE_CONFIGS and AlterConfigs / IncrementalAlterConfigs ALTER_CONFIGS, on the topic for
// topic resources and on the cluster for broker resources; DescribeAcls needs DESCRIBE and
// CreateAcls / DeleteAcls ALTER on the cluster; the SCRAM credential APIs likewise.
import { ApiKey } from '../../protocol/api-keys'
import { ErrorCode } from '../../protocol/error-codes'
import { AclOperation as Op, CLUSTER_RESOURCE_NAME, ResourceType as Res } from './acl-types'
import type { Check, Guarded, GuardTable } from './enforce'

/** Config resource types (Kafka's ConfigResource.Type), not ACL resource types. */
const CONFIG_TOPIC = 2
const CONFIG_BROKER = 4
const CONFIG_BROKER_LOGGER = 8

/** The error for a config resource the principal may not `op`, or NONE. */
function configAccess(can: Check, op: Op, resourceType: number, name: string): number {
  if (resourceType === CONFIG_TOPIC) return can(op, Res.TOPIC, name) ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED
  if (resourceType === CONFIG_BROKER || resourceType === CONFIG_BROKER_LOGGER) {
    return can(op, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? ErrorCode.NONE : ErrorCode.CLUSTER_AUTHORIZATION_FAILED
  }
  return ErrorCode.NONE // the handler refuses resource types it does not know
}

interface ConfigReq { resources: { resourceType: number; resourceName: string }[] }

/**
 * Hands the handler the permitted resources and puts the refused ones back in request order
 * (config handlers answer one result per resource, in order).
 */
function guardConfigs<Q extends ConfigReq, R, E>(
  req: Q, can: Check, op: Op, results: (res: R) => E[], withResults: (res: R, all: E[]) => R,
  refused: (r: Q['resources'][number], errorCode: number) => E,
): Guarded<Q, R> {
  const codes = req.resources.map((r) => configAccess(can, op, r.resourceType, r.resourceName))
  if (codes.every((c) => c === ErrorCode.NONE)) return {}
  return {
    request: { ...req, resources: req.resources.filter((_, i) => codes[i] === ErrorCode.NONE) },
    patch: (res) => {
      const answered = results(res)
      let next = 0
      return withResults(res, req.resources.map((r, i) => (codes[i] === ErrorCode.NONE ? answered[next++] : refused(r, codes[i]))))
    },
  }
}

export const ADMIN_GUARDS: GuardTable = {
  [ApiKey.DescribeConfigs]: (req, { can }) => guardConfigs(req, can, Op.DESCRIBE_CONFIGS, (res) => res.results, (res, results) => ({ ...res, results }),
    (r, errorCode) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName, configs: [] })),
  [ApiKey.AlterConfigs]: (req, { can }) => guardConfigs(req, can, Op.ALTER_CONFIGS, (res) => res.responses, (res, responses) => ({ ...res, responses }),
    (r, errorCode) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
  [ApiKey.IncrementalAlterConfigs]: (req, { can }) => guardConfigs(req, can, Op.ALTER_CONFIGS, (res) => res.responses, (res, responses) => ({ ...res, responses }),
    (r, errorCode) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),

  [ApiKey.DescribeAcls]: (_req, { can }) => (can(Op.DESCRIBE, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? {} : {
    respond: { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, resources: [] },
  }),
  [ApiKey.CreateAcls]: (req, { can }) => (can(Op.ALTER, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? {} : {
    respond: { throttleTimeMs: 0, results: req.creations.map(() => ({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null })) },
  }),
  [ApiKey.DeleteAcls]: (req, { can }) => (can(Op.ALTER, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? {} : {
    respond: { throttleTimeMs: 0, filterResults: req.filters.map(() => ({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, matchingAcls: [] })) },
  }),
  // SCRAM credentials are cluster resources in Kafka: DESCRIBE to list them, ALTER to change them.
  [ApiKey.DescribeUserScramCredentials]: (_req, { can }) => (can(Op.DESCRIBE, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? {} : {
    respond: { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, results: [] },
  }),
  [ApiKey.AlterUserScramCredentials]: (req, { can }) => (can(Op.ALTER, Res.CLUSTER, CLUSTER_RESOURCE_NAME) ? {} : {
    respond: {
      throttleTimeMs: 0,
      results: [...new Set([...req.deletions, ...req.upsertions].map((u) => u.name))]
        .map((user) => ({ user, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null })),
    },
  }),
}
