// The dispatcher is a Map from API key to handler (handlers/index.ts). An API the registry can
// decode but no handler serves is a server bug, reported as such. With an authorizer configured,
// the API's ACL guard (acls/guards.ts) runs around the handler.
import type { RequestContext } from './request-context'
import { HANDLERS } from './handlers'
import { NoHandlerError } from './errors'
import { runGuarded } from './acls/enforce'
import { GUARDS } from './acls/guards'

export async function dispatch(apiKey: number, body: unknown, ctx: RequestContext): Promise<unknown> {
  const handler = HANDLERS.get(apiKey)
  if (handler === undefined) throw new NoHandlerError(`no handler for api key ${apiKey}`)
  if (ctx.cluster.authorizer !== undefined) return runGuarded(GUARDS, apiKey, body, ctx, handler)
  return handler(body, ctx)
}
