// AlterConfigs (the non-incremental one): the given configs become the topic's complete set of
// overrides; anything not listed goes back to its default. Applied at once unless validateOnly.
import type { AlterConfigsRequest, AlterConfigsResponse } from '../../protocol/messages/alter-configs'
import type { RequestContext } from '../request-context'
import { alterEachResource, replaceTopicOverrides } from '../config-resources'

export async function handleAlterConfigs(req: AlterConfigsRequest, ctx: RequestContext): Promise<AlterConfigsResponse> {
  return alterEachResource(req.resources, (r) => {
    const next: Record<string, string> = {}
    for (const c of r.configs) if (c.value !== null) next[c.name] = c.value
    return replaceTopicOverrides(ctx.cluster, r.resourceName, next, req.validateOnly)
  })
}
