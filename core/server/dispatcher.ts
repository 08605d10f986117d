// The dispatcher is a Map from API key to handler (handlers/index.ts). An API the registry can
// decode but no handler serves is a server bug, reported as such.
import type { RequestContext } from './request-context'
import { HANDLERS } from './handlers'
import { NoHandlerError } from './errors'

export async function dispatch(apiKey: number, body: unknown, ctx: RequestContext): Promise<unknown> {
  const handler = HANDLERS.get(apiKey)
  if (handler === undefined) throw new NoHandlerError(`no handler for api key ${apiKey}`)
  return handler(body, ctx)
}
