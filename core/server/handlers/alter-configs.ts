// AlterConfigs (the non-incremental one): the given configs become the topic's complete set of
// overrides; anything not listed goes back to its default. Applied at once unless validateOnly.
import type { AlterConfigsRequest, AlterConfigsResponse } from '../../protocol/messages/alter-configs'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { BROKER_READ_ONLY, ResourceType, replaceTopicOverrides, type ResourceProblem } from '../config-resources'

export async function handleAlterConfigs(req: AlterConfigsRequest, ctx: RequestContext): Promise<AlterConfigsResponse> {
  const responses: AlterConfigsResponse['responses'] = []
  for (const r of req.resources) {
    let problem: ResourceProblem | undefined
    if (r.resourceType === ResourceType.TOPIC) {
      const next: Record<string, string> = {}
      for (const c of r.configs) if (c.value !== null) next[c.name] = c.value
      problem = await replaceTopicOverrides(ctx.cluster, r.resourceName, next, req.validateOnly)
    } else if (r.resourceType === ResourceType.BROKER) {
      problem = BROKER_READ_ONLY
    } else {
      problem = { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}.` }
    }
    responses.push({ resourceType: r.resourceType, resourceName: r.resourceName, errorCode: problem?.errorCode ?? ErrorCode.NONE, errorMessage: problem?.errorMessage ?? null })
  }
  return { throttleTimeMs: 0, responses }
}
