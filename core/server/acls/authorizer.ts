// Godwit's authorizer: the ACL store plus Kafka's decision rules. A principal may perform an
// operation on a resource when it is a super user; or when no DENY ACL matches and an ALLOW ACL
// does; or, when no ACL at all applies to the resource, if allow.everyone.if.no.acl.found.
// ALL matches every operation; an ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE,
// and an ALLOW of ALTER_CONFIGS also allows DESCRIBE_CONFIGS (DENY implies nothing).
import type { BrokerConfig } from '../broker-config'
import { parseSuperUsers } from './acl-config'
import { AclStore } from './acl-store'
import { AclOperation, AclPermissionType, PatternType, ResourceType, WILDCARD, type AclBinding } from './acl-types'

/** The principal of a connection with no authenticated identity, as in Kafka. */
export const ANONYMOUS = 'User:ANONYMOUS'

const IMPLIED_BY: Partial<Record<AclOperation, AclOperation[]>> = {
  [AclOperation.DESCRIBE]: [AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER],
  [AclOperation.DESCRIBE_CONFIGS]: [AclOperation.ALTER_CONFIGS],
}

export interface AuthorizerOptions {
  superUsers?: string[]
  allowEveryoneIfNoAclFound?: boolean
}

export class Authorizer {
  private readonly superUsers: ReadonlySet<string>
  private readonly allowIfNoAcl: boolean

  constructor(readonly store: AclStore, opts: AuthorizerOptions = {}) {
    this.superUsers = new Set(opts.superUsers ?? [])
    this.allowIfNoAcl = opts.allowEveryoneIfNoAclFound ?? false
  }

  authorize(principal: string, host: string, operation: AclOperation, resourceType: ResourceType, resourceName: string): boolean {
    if (this.superUsers.has(principal)) return true
    const onResource = this.store.index.applying(resourceType, resourceName)
    if (onResource.length === 0) return this.allowIfNoAcl
    const implied = IMPLIED_BY[operation]
    let allowed = false
    for (const b of onResource) {
      if (!principalMatches(b.principal, principal) || (b.host !== WILDCARD && b.host !== host)) continue
      if (b.permissionType === AclPermissionType.DENY) {
        if (b.operation === operation || b.operation === AclOperation.ALL) return false
      } else if (b.operation === operation || b.operation === AclOperation.ALL || (implied?.includes(b.operation) ?? false)) {
        allowed = true
      }
    }
    return allowed
  }

  /**
   * Kafka's authorizeByResourceType: whether some resource of the type allows the operation to
   * the principal, i.e. an ALLOW ACL (operation or ALL) that no DENY ACL covers. Used where
   * Kafka grants an action for holding a right on any topic (idempotent producers).
   */
  authorizeByResourceType(principal: string, host: string, operation: AclOperation, resourceType: ResourceType): boolean {
    if (this.superUsers.has(principal)) return true
    const mine = this.store.index.ofType(resourceType).filter((b) => principalMatches(b.principal, principal)
      && (b.host === WILDCARD || b.host === host) && (b.operation === operation || b.operation === AclOperation.ALL))
    const denies = mine.filter((b) => b.permissionType === AclPermissionType.DENY)
    if (denies.some((d) => d.patternType === PatternType.LITERAL && d.resourceName === WILDCARD)) return false
    return mine.some((a) => a.permissionType === AclPermissionType.ALLOW && !denies.some((d) => (d.patternType === PatternType.PREFIXED
      ? a.resourceName.startsWith(d.resourceName)
      : a.patternType === PatternType.LITERAL && a.resourceName === d.resourceName)))
  }
}

/** `User:*` in an ACL matches every user principal, as in Kafka. */
function principalMatches(aclPrincipal: string, principal: string): boolean {
  if (aclPrincipal === principal) return true
  const colon = aclPrincipal.indexOf(':')
  return aclPrincipal.slice(colon + 1) === WILDCARD && principal.startsWith(aclPrincipal.slice(0, colon + 1))
}

/** The configured authorizer over the data directory's ACL store, or undefined without authorizer.class.name. */
export function createAuthorizer(config: BrokerConfig, dataDir: string): Authorizer | undefined {
  if (config['authorizer.class.name'] === '') return undefined
  return new Authorizer(AclStore.open(dataDir), {
    superUsers: parseSuperUsers(config['super.users']),
    allowEveryoneIfNoAclFound: config['allow.everyone.if.no.acl.found'],
  })
}
