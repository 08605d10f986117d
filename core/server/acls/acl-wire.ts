// Wire structs of the ACL APIs to and from the authorizer's types, and the answer every ACL API
// gives without an authorizer (Kafka's SECURITY_DISABLED and its message).
import type { AclFilterWire } from '../../protocol/messages/describe-acls'
import type { AclCreationWire } from '../../protocol/messages/create-acls'
import type { AclBinding, AclBindingFilter } from './acl-types'

export const NO_AUTHORIZER_MESSAGE = 'No Authorizer is configured on the broker'

export function filterFromWire(w: AclFilterWire): AclBindingFilter {
  return {
    resourceType: w.resourceTypeFilter, resourceName: w.resourceNameFilter, patternType: w.patternTypeFilter,
    principal: w.principalFilter, host: w.hostFilter, operation: w.operation, permissionType: w.permissionType,
  }
}

/** The binding a creation asks for; creationProblem() says whether it is valid. */
export function bindingFromWire(w: AclCreationWire): AclBinding {
  return {
    resourceType: w.resourceType, resourceName: w.resourceName, patternType: w.resourcePatternType as AclBinding['patternType'],
    principal: w.principal, host: w.host, operation: w.operation, permissionType: w.permissionType as AclBinding['permissionType'],
  }
}

/** Stable order for answers: by resource, then entry. */
export function compareBindings(a: AclBinding, b: AclBinding): number {
  return a.resourceType - b.resourceType || a.resourceName.localeCompare(b.resourceName) || a.patternType - b.patternType
    || a.principal.localeCompare(b.principal) || a.host.localeCompare(b.host) || a.operation - b.operation || a.permissionType - b.permissionType
}
