// Every API the broker serves is checked against the ACLs, except ApiVersions and the SASL
// exchange (which Kafka serves before anyone is authenticated): a new handler without a guard
// fails here rather than bypassing the authorizer.
import assert from 'node:assert/strict'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { HANDLERS } from '../../../../core/server/handlers'
import { GUARDS } from '../../../../core/server/acls/guards'
import { aclHost } from '../../../../core/server/acls/enforce'
import { AclStore } from '../../../../core/server/acls/acl-store'
import { Authorizer } from '../../../../core/server/acls/authorizer'
import { AclOperation as Op, AclPermissionType as Perm, PatternType as Pat, ResourceType as Res } from '../../../../core/server/acls/acl-types'

/** APIs Kafka answers before and without authorization. */
const UNGUARDED = new Set<number>([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate])

describe('core/server/acls/guards', () => {
  it('has a guard for every served API but ApiVersions and SASL', () => {
    const missing = [...HANDLERS.keys()].filter((k) => !UNGUARDED.has(k) && GUARDS[k as ApiKey] === undefined).map((k) => ApiKey[k])
    assert.deepEqual(missing, [])
    assert.equal(GUARDS[ApiKey.ApiVersions], undefined)
  })

  it('compares IPv4 clients in dotted form', () => {
    assert.equal(aclHost('::ffff:10.1.2.3'), '10.1.2.3')
    assert.equal(aclHost('10.1.2.3'), '10.1.2.3')
    assert.equal(aclHost('::1'), '::1')
  })

  it('authorizeByResourceType: an ALLOW on some topic that no DENY covers (idempotent producers)', () => {
    const store = AclStore.inMemory()
    const a = new Authorizer(store)
    const any = (): boolean => a.authorizeByResourceType('User:p', '127.0.0.1', Op.WRITE, Res.TOPIC)
    assert.ok(!any())
    const acl = { resourceType: Res.TOPIC, principal: 'User:p', host: '*', operation: Op.WRITE }
    store.create([{ ...acl, resourceName: 'logs-app', patternType: Pat.LITERAL, permissionType: Perm.ALLOW }])
    assert.ok(any())
    store.create([{ ...acl, resourceName: 'logs-', patternType: Pat.PREFIXED, permissionType: Perm.DENY }])
    assert.ok(!any(), 'a DENY prefix covering the only ALLOW')
    store.create([{ ...acl, resourceName: 'metrics', patternType: Pat.PREFIXED, operation: Op.ALL, permissionType: Perm.ALLOW }])
    assert.ok(any())
    store.create([{ ...acl, resourceName: '*', patternType: Pat.LITERAL, permissionType: Perm.DENY }])
    assert.ok(!any(), 'DENY on every topic')
    assert.ok(new Authorizer(store, { superUsers: ['User:p'] }).authorizeByResourceType('User:p', 'h', Op.WRITE, Res.TOPIC))
  })
})
