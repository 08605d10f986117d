// Kafka's authorization decision over an in-memory ACL store.
import assert from 'node:assert/strict'
import { AclStore } from '../../../../core/server/acls/acl-store'
import { Authorizer } from '../../../../core/server/acls/authorizer'
import { AclOperation as Op, AclPermissionType as Perm, PatternType as Pat, ResourceType as Res, type AclBinding } from '../../../../core/server/acls/acl-types'

const acl = (resourceName: string, principal: string, operation: Op, permissionType: Perm.ALLOW | Perm.DENY = Perm.ALLOW, over: Partial<AclBinding> = {}): AclBinding => ({
  resourceType: Res.TOPIC, resourceName, patternType: Pat.LITERAL, principal, host: '*', operation, permissionType, ...over,
})

function authorizer(acls: AclBinding[], opts: ConstructorParameters<typeof Authorizer>[1] = {}): Authorizer {
  const store = AclStore.inMemory()
  store.create(acls)
  return new Authorizer(store, opts)
}

describe('core/server/acls/authorizer', () => {
  const can = (a: Authorizer, principal: string, op: Op, topic: string, host = '127.0.0.1'): boolean => a.authorize(principal, host, op, Res.TOPIC, topic)

  it('ALLOW grants its operation; DENY wins over ALLOW', () => {
    const a = authorizer([acl('t', 'User:alice', Op.READ), acl('t', 'User:bob', Op.ALL), acl('t', 'User:bob', Op.WRITE, Perm.DENY)])
    assert.ok(can(a, 'User:alice', Op.READ, 't'))
    assert.ok(!can(a, 'User:alice', Op.WRITE, 't'))
    assert.ok(can(a, 'User:bob', Op.READ, 't'), 'ALL allows READ')
    assert.ok(!can(a, 'User:bob', Op.WRITE, 't'), 'DENY WRITE beats ALLOW ALL')
    assert.ok(!can(a, 'User:carol', Op.READ, 't'), 'no ACL for carol on a resource that has ACLs')
  })

  it('READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; DENY implies nothing', () => {
    for (const op of [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER]) assert.ok(can(authorizer([acl('t', 'User:a', op)]), 'User:a', Op.DESCRIBE, 't'), Op[op])
    assert.ok(!can(authorizer([acl('t', 'User:a', Op.CREATE)]), 'User:a', Op.DESCRIBE, 't'))
    assert.ok(can(authorizer([acl('t', 'User:a', Op.ALTER_CONFIGS)]), 'User:a', Op.DESCRIBE_CONFIGS, 't'))
    assert.ok(!can(authorizer([acl('t', 'User:a', Op.DESCRIBE_CONFIGS)]), 'User:a', Op.ALTER_CONFIGS, 't'))
    const denyRead = authorizer([acl('t', 'User:a', Op.DESCRIBE), acl('t', 'User:a', Op.READ, Perm.DENY)])
    assert.ok(can(denyRead, 'User:a', Op.DESCRIBE, 't'), 'DENY READ does not deny DESCRIBE')
    assert.ok(!can(denyRead, 'User:a', Op.READ, 't'))
  })

  it('wildcard and prefixed resources, User:* and host matching', () => {
    const a = authorizer([
      acl('*', 'User:alice', Op.READ),
      acl('logs-', 'User:bob', Op.WRITE, Perm.ALLOW, { patternType: Pat.PREFIXED }),
      acl('public', 'User:*', Op.READ),
      acl('public', 'User:*', Op.READ, Perm.DENY, { host: '10.9.9.9' }),
    ])
    assert.ok(can(a, 'User:alice', Op.READ, 'anything'))
    assert.ok(can(a, 'User:bob', Op.WRITE, 'logs-app'))
    assert.ok(!can(a, 'User:bob', Op.WRITE, 'log'))
    assert.ok(can(a, 'User:zed', Op.READ, 'public'))
    assert.ok(!can(a, 'User:zed', Op.READ, 'public', '10.9.9.9'), 'DENY for one host')
  })

  it('prefixes of several lengths, and prefixes longer than the name, match as prefixes should', () => {
    const pre = (name: string, principal: string, op: Op, perm: Perm.ALLOW | Perm.DENY = Perm.ALLOW): AclBinding => acl(name, principal, op, perm, { patternType: Pat.PREFIXED })
    const a = authorizer([pre('a', 'User:p', Op.READ), pre('ab-', 'User:p', Op.WRITE), pre('ab-secret', 'User:p', Op.READ, Perm.DENY), pre('ab-c-long-prefix', 'User:p', Op.DELETE)])
    assert.ok(can(a, 'User:p', Op.READ, 'ab-open'))
    assert.ok(can(a, 'User:p', Op.WRITE, 'ab-open'))
    assert.ok(!can(a, 'User:p', Op.READ, 'ab-secret-2'), 'the longer DENY prefix applies too')
    assert.ok(can(a, 'User:p', Op.WRITE, 'ab-secret-2'))
    assert.ok(!can(a, 'User:p', Op.DELETE, 'ab-c'), 'a prefix longer than the name does not match')
    assert.ok(can(a, 'User:p', Op.DELETE, 'ab-c-long-prefix'))
    assert.ok(!can(a, 'User:p', Op.WRITE, 'b-x'))
  })

  it('super users are always allowed; resources with no ACL follow allow.everyone.if.no.acl.found', () => {
    const acls = [acl('t', 'User:alice', Op.READ, Perm.DENY)]
    assert.ok(can(authorizer(acls, { superUsers: ['User:alice'] }), 'User:alice', Op.READ, 't'))
    assert.ok(!can(authorizer(acls), 'User:zed', Op.READ, 'untouched'))
    const open = authorizer(acls, { allowEveryoneIfNoAclFound: true })
    assert.ok(can(open, 'User:zed', Op.READ, 'untouched'))
    assert.ok(!can(open, 'User:zed', Op.READ, 't'), 'a resource with ACLs is not open, even to principals none of them names')
    assert.ok(!can(authorizer([]), 'User:zed', Op.READ, 'x'))
  })
})
