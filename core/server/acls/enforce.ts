// ACL enforcement around the handlers: with an authorizer configured, each API's guard checks the
// principal's rights on the resources a request names before its handler runs. A guard may answer
// at once (nothing authorized), or hand the handler the authorized part of the request and add
// the refused resources to its response with Kafka's error codes (TOPIC_ / GROUP_ /
// CLUSTER_AUTHORIZATION_FAILED). Handlers stay unaware of ACLs. Without an authorizer nothing runs.
import type { ApiKey } from '../../protocol/api-keys'
import type { RequestOf, ResponseOf } from '../../protocol/registry'
import type { RequestContext } from '../request-context'
import { AclOperation, ResourceType } from './acl-types'

/** May the request's principal perform `operation` on the named resource? */
export type Check = (operation: AclOperation, resourceType: ResourceType, name: string) => boolean

export interface Guarded<Req, Res> {
  /** Answer with this, without running the handler. */
  respond?: Res
  /** Run the handler on this request (default: the original one). */
  request?: Req
  /** Adjust the handler's response (add the refused resources, drop undescribable ones). */
  patch?: (res: Res) => Res
}

export interface GuardContext {
  can: Check
  /** Kafka's authorizeByResourceType: does the principal hold `operation` on some resource of this type? */
  canAny: (operation: AclOperation, resourceType: ResourceType) => boolean
  ctx: RequestContext
}

export type Guard<K extends ApiKey> = (req: RequestOf<K>, g: GuardContext) => Guarded<RequestOf<K>, ResponseOf<K>>

export type GuardTable = { [K in ApiKey]?: Guard<K> }

/** Kafka compares IPv4 hosts in dotted form; Node reports them IPv4-mapped on dual-stack sockets. */
export function aclHost(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress
}

/** Runs `handler` under the guard for `apiKey` when the cluster has an authorizer. */
export async function runGuarded(
  guards: GuardTable, apiKey: number, body: unknown, ctx: RequestContext, handler: (body: unknown, ctx: RequestContext) => Promise<unknown>,
): Promise<unknown> {
  const authorizer = ctx.cluster.authorizer
  const guard = guards[apiKey as ApiKey] as Guard<ApiKey> | undefined
  // No guard: ApiVersions (and the SASL APIs), which Kafka serves before and without authorization.
  if (authorizer === undefined || guard === undefined) return handler(body, ctx)
  const host = aclHost(ctx.clientHost)
  const can: Check = (operation, resourceType, name) => {
    const ok = authorizer.authorize(ctx.principal, host, operation, resourceType, name)
    if (!ok) ctx.log.debug({ principal: ctx.principal, host, operation: AclOperation[operation], resourceType: ResourceType[resourceType], name }, 'authorization denied')
    return ok
  }
  const canAny = (operation: AclOperation, resourceType: ResourceType): boolean =>
    authorizer.authorizeByResourceType(ctx.principal, host, operation, resourceType)
  const out = guard(body as never, { can, canAny, ctx }) as Guarded<unknown, unknown>
  if (out.respond !== undefined) return out.respond
  const res = await handler(out.request ?? body, ctx)
  return out.patch === undefined ? res : out.patch(res)
}

/** Splits items into those whose name passes `ok` and the rest. */
export function split<T>(items: readonly T[], name: (t: T) => string, ok: (name: string) => boolean): [T[], T[]] {
  const yes: T[] = []
  const no: T[] = []
  for (const t of items) (ok(name(t)) ? yes : no).push(t)
  return [yes, no]
}
