// The broker keys for ACLs, by Kafka's names. Kafka loads authorizer.class.name as a plugin; Godwit
// has one built-in authorizer and accepts the class names of Kafka's two, so an existing
// server.properties works unchanged.
import { defineConfig } from '../../../config'
import type { Validator } from '../../../config/config-def'

export const KAFKA_AUTHORIZERS = [
  'kafka.security.authorizer.AclAuthorizer',
  'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
] as const

const authorizerClass: Validator<string> = (v) => (v === '' || (KAFKA_AUTHORIZERS as readonly string[]).includes(v)
  ? undefined
  : `Godwit has one built-in authorizer, enabled by ${KAFKA_AUTHORIZERS.join(' or ')} (or leave it empty for no ACLs); "${v}" is not supported`)

const principalList: Validator<string> = (v) => {
  const bad = parseSuperUsers(v).filter((p) => !/^[^:]+:.+$/.test(p))
  return bad.length === 0 ? undefined : `expected principals like User:alice separated by semicolons, got "${bad.join(';')}"`
}

export const AclConfigDef = defineConfig('Broker ACLs', {
  'authorizer.class.name': { type: 'string', default: '', validate: authorizerClass, importance: 'low',
    doc: `Enables ACLs when set to ${KAFKA_AUTHORIZERS.join(' or ')} (both select Godwit's built-in authorizer). Empty: no authorizer; the ACL APIs answer SECURITY_DISABLED.` },
  'super.users': { type: 'string', default: '', validate: principalList, importance: 'low',
    doc: 'Principals (User:name) separated by semicolons that every ACL check allows.' },
  'allow.everyone.if.no.acl.found': { type: 'boolean', default: false, importance: 'low',
    doc: 'Whether a resource that no ACL matches is open to everyone (true) or to super users only (false).' },
})

/** super.users is semicolon-separated, as in Kafka (principals themselves may contain commas). */
export function parseSuperUsers(v: string): string[] {
  return v.split(';').map((s) => s.trim()).filter((s) => s !== '')
}
