// Which stored ACLs a filter selects (DescribeAcls, DeleteAcls) and which creations are valid
// (CreateAcls), with Kafka's semantics: ResourcePatternFilter + AccessControlEntryFilter for
// matching, the KRaft controller's checks for new ACLs. Pure functions, no state.
import {
  AclOperation, AclPermissionType, CLUSTER_RESOURCE_NAME, PatternType, ResourceType, WILDCARD, enumName,
  type AclBinding, type AclBindingFilter,
} from './acl-types'

/**
 * Kafka's AclBindingFilter.matches. Pattern type filters: ANY selects every pattern type but
 * compares names exactly; LITERAL / PREFIXED select that type, names exactly; MATCH selects the
 * ACLs that apply to the named resource: the literal name, the `*` wildcard, and every prefix.
 */
export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false
  if (f.patternType !== PatternType.ANY && f.patternType !== PatternType.MATCH && f.patternType !== b.patternType) return false
  if (!nameMatches(f, b)) return false
  if (f.principal !== null && f.principal !== b.principal) return false
  if (f.host !== null && f.host !== b.host) return false
  if (f.operation !== AclOperation.ANY && f.operation !== b.operation) return false
  return f.permissionType === AclPermissionType.ANY || f.permissionType === b.permissionType
}

function nameMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceName === null) return true
  if (f.patternType !== PatternType.MATCH) return f.resourceName === b.resourceName
  if (b.patternType === PatternType.PREFIXED) return f.resourceName.startsWith(b.resourceName)
  return f.resourceName === b.resourceName || b.resourceName === WILDCARD
}

/** Why a filter cannot be used (a code Kafka does not define, or UNKNOWN), else undefined. */
export function filterProblem(f: AclBindingFilter): string | undefined {
  const checks: [Record<string, string | number>, number, string][] = [
    [ResourceType, f.resourceType, 'resource type'],
    [PatternType, f.patternType, 'pattern type'],
    [AclOperation, f.operation, 'operation'],
    [AclPermissionType, f.permissionType, 'permission type'],
  ]
  for (const [e, code, what] of checks) {
    const name = enumName(e, code)
    if (name === undefined || name === 'UNKNOWN') return `The filter's ${what} ${name ?? code} is not valid.`
  }
  return undefined
}

/** Why an ACL cannot be created, else undefined. Checks follow Kafka's controller. */
export function creationProblem(b: AclBinding): string | undefined {
  const rt = enumName(ResourceType, b.resourceType)
  if (rt === undefined || rt === 'UNKNOWN' || rt === 'ANY') return `Invalid resource type ${rt ?? b.resourceType}: an ACL needs a concrete resource type (TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN or USER).`
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) {
    return `Invalid pattern type ${enumName(PatternType, b.patternType) ?? b.patternType}: an ACL's pattern type is LITERAL or PREFIXED.`
  }
  const op = enumName(AclOperation, b.operation)
  if (op === undefined || op === 'UNKNOWN' || op === 'ANY') return `Invalid operation ${op ?? b.operation}: an ACL needs a concrete operation (ALL, READ, WRITE, ...).`
  if (b.permissionType !== AclPermissionType.ALLOW && b.permissionType !== AclPermissionType.DENY) {
    return `Invalid permission type ${enumName(AclPermissionType, b.permissionType) ?? b.permissionType}: an ACL either ALLOWs or DENYs.`
  }
  if (b.resourceName === '') return 'The resource name must not be empty.'
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_RESOURCE_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}, not "${b.resourceName}".`
  }
  const colon = b.principal.indexOf(':')
  if (colon <= 0 || colon === b.principal.length - 1) {
    return `Invalid principal "${b.principal}": expected principalType:name, e.g. User:alice.`
  }
  if (b.host === '') return 'The host must not be empty; use * for every host.'
  return undefined
}
