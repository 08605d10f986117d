// DescribeConfigs: topic resources (value, whether it is a default, where it comes from) and
// broker resources (the parsed server properties). Synonyms only when asked for.
import type { DescribeConfigsRequest, DescribeConfigsResponse } from '../../protocol/messages/describe-configs'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { ResourceType, describeBroker, describeTopic } from '../config-resources'

export async function handleDescribeConfigs(req: DescribeConfigsRequest, ctx: RequestContext): Promise<DescribeConfigsResponse> {
  const results = req.resources.map((r) => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName }
    const described = r.resourceType === ResourceType.TOPIC ? describeTopic(ctx.cluster, r.resourceName)
      : r.resourceType === ResourceType.BROKER ? describeBroker(ctx.cluster, r.resourceName)
        : { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}; only topics (2) and brokers (4) have configs.` }
    if (!Array.isArray(described)) return { ...base, ...described, configs: [] }
    const wanted = r.configurationKeys === null || r.configurationKeys.length === 0 ? undefined : new Set(r.configurationKeys)
    const configs = described
      .filter((e) => wanted === undefined || wanted.has(e.name))
      .map((e) => ({ ...e, synonyms: req.includeSynonyms ? e.synonyms : [] }))
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs }
  })
  return { throttleTimeMs: 0, results }
}
