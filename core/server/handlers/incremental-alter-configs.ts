// IncrementalAlterConfigs: SET / DELETE / APPEND / SUBTRACT (the last two for list configs such
// as cleanup.policy) applied to a topic's current overrides.
import type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from '../../protocol/messages/incremental-alter-configs'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { alterEachResource, describeTopic, isListKey, replaceTopicOverrides, topicOverrides, type ResourceProblem } from '../config-resources'

const SET = 0
const DELETE = 1
const APPEND = 2
const SUBTRACT = 3

type Resource = IncrementalAlterConfigsRequest['resources'][number]

export async function handleIncrementalAlterConfigs(req: IncrementalAlterConfigsRequest, ctx: RequestContext): Promise<IncrementalAlterConfigsResponse> {
  return alterEachResource(req.resources, (r) => alterTopic(ctx, r, req.validateOnly))
}

async function alterTopic(ctx: RequestContext, r: Resource, validateOnly: boolean): Promise<ResourceProblem | undefined> {
  const described = describeTopic(ctx.cluster, r.resourceName)
  if (!Array.isArray(described)) return described
  const effective = new Map(described.map((e) => [e.name, e.value ?? '']))
  const names = r.configs.map((c) => c.name)
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))]
  if (duplicates.length > 0) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Error due to duplicate config keys: ${duplicates.join(', ')}` }
  const next = topicOverrides(ctx.cluster, r.resourceName)
  for (const c of r.configs) {
    if (c.configOperation === SET) {
      if (c.value === null) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `SET of ${c.name} needs a value.` }
      next[c.name] = c.value
    } else if (c.configOperation === DELETE) {
      delete next[c.name]
    } else if (c.configOperation === APPEND || c.configOperation === SUBTRACT) {
      if (!isListKey(c.name)) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `${c.name} is not a list config; APPEND and SUBTRACT apply to lists only.` }
      const items = (next[c.name] ?? effective.get(c.name) ?? '').split(',').filter((s) => s !== '')
      const given = (c.value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
      const result = c.configOperation === APPEND ? [...items, ...given.filter((g) => !items.includes(g))] : items.filter((i) => !given.includes(i))
      next[c.name] = result.join(',')
    } else {
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown config operation ${c.configOperation} for ${c.name}.` }
    }
  }
  return replaceTopicOverrides(ctx.cluster, r.resourceName, next, validateOnly)
}
