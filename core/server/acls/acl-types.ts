// Kafka's ACL vocabulary: the numeric codes of resource types, pattern types, operations and
// permission types are fixed by the protocol (org.apache.kafka.common.acl / .resource), and an
// ACL binding is a resource pattern plus an access control entry.

export enum ResourceType { UNKNOWN = 0, ANY = 1, TOPIC = 2, GROUP = 3, CLUSTER = 4, TRANSACTIONAL_ID = 5, DELEGATION_TOKEN = 6, USER = 7 }

export enum PatternType { UNKNOWN = 0, ANY = 1, MATCH = 2, LITERAL = 3, PREFIXED = 4 }

export enum AclOperation {
  UNKNOWN = 0, ANY = 1, ALL = 2, READ = 3, WRITE = 4, CREATE = 5, DELETE = 6, ALTER = 7, DESCRIBE = 8,
  CLUSTER_ACTION = 9, DESCRIBE_CONFIGS = 10, ALTER_CONFIGS = 11, IDEMPOTENT_WRITE = 12, CREATE_TOKENS = 13, DESCRIBE_TOKENS = 14,
}

export enum AclPermissionType { UNKNOWN = 0, ANY = 1, DENY = 2, ALLOW = 3 }

/** The only name a CLUSTER resource can have, as in Kafka. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster'
/** A LITERAL resource name or an ACL host that matches every name or host. */
export const WILDCARD = '*'

/** One stored ACL: Kafka's AclBinding, every element concrete (no ANY, MATCH or UNKNOWN). */
export interface AclBinding {
  resourceType: ResourceType
  resourceName: string
  patternType: PatternType.LITERAL | PatternType.PREFIXED
  principal: string
  host: string
  operation: AclOperation
  permissionType: AclPermissionType.ALLOW | AclPermissionType.DENY
}

/** Kafka's AclBindingFilter: null strings and ANY codes match everything; MATCH is explained in acl-match.ts. */
export interface AclBindingFilter {
  resourceType: ResourceType
  resourceName: string | null
  patternType: PatternType
  principal: string | null
  host: string | null
  operation: AclOperation
  permissionType: AclPermissionType
}

/** The enum's name for a wire code, or undefined for a code Kafka does not define. */
export function enumName(e: Record<string, string | number>, code: number): string | undefined {
  const name = e[code]
  return typeof name === 'string' ? name : undefined
}

/** A stable identity for a binding (set membership, de-duplication). */
export function bindingKey(b: AclBinding): string {
  return JSON.stringify([b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation, b.permissionType])
}
