// replication.policy.class → a policy instance. MM2's class names are accepted, as are short names.
import { DefaultReplicationPolicy } from './default-replication-policy'
import { IdentityReplicationPolicy } from './identity-replication-policy'
import type { PolicyOptions, ReplicationPolicy } from './replication-policy'

export const POLICY_CLASSES: Record<string, (o: PolicyOptions) => ReplicationPolicy> = {
  [DefaultReplicationPolicy.CLASS_NAME]: (o) => new DefaultReplicationPolicy(o),
  DefaultReplicationPolicy: (o) => new DefaultReplicationPolicy(o),
  [IdentityReplicationPolicy.CLASS_NAME]: (o) => new IdentityReplicationPolicy(o),
  IdentityReplicationPolicy: (o) => new IdentityReplicationPolicy(o),
}

export function isKnownPolicyClass(name: string): boolean {
  return name in POLICY_CLASSES
}

export function createReplicationPolicy(className: string, opts: PolicyOptions = {}): ReplicationPolicy {
  const make = POLICY_CLASSES[className]
  if (make === undefined) throw new Error(`unknown replication.policy.class ${className}`)
  return make(opts)
}

export function isIdentityPolicy(p: ReplicationPolicy): boolean {
  return p instanceof IdentityReplicationPolicy
}
