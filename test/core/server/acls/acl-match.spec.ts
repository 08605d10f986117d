// Kafka's AclBindingFilter semantics and the checks on new ACLs, as pure functions.
import assert from 'node:assert/strict'
import { creationProblem, filterMatches, filterProblem } from '../../../../core/server/acls/acl-match'
import {
  AclOperation as Op, AclPermissionType as Perm, PatternType as Pat, ResourceType as Res,
  type AclBinding, type AclBindingFilter,
} from '../../../../core/server/acls/acl-types'

const acl = (resourceName: string, patternType: Pat.LITERAL | Pat.PREFIXED = Pat.LITERAL, over: Partial<AclBinding> = {}): AclBinding => ({
  resourceType: Res.TOPIC, resourceName, patternType, principal: 'User:alice', host: '*', operation: Op.READ, permissionType: Perm.ALLOW, ...over,
})
const ANY: AclBindingFilter = { resourceType: Res.ANY, resourceName: null, patternType: Pat.ANY, principal: null, host: null, operation: Op.ANY, permissionType: Perm.ANY }

describe('core/server/acls/acl-match', () => {
  const literal = acl('orders')
  const wildcard = acl('*')
  const prefixed = acl('ord', Pat.PREFIXED)
  const otherPrefix = acl('pay', Pat.PREFIXED)
  const group = acl('orders', Pat.LITERAL, { resourceType: Res.GROUP })
  const all = [literal, wildcard, prefixed, otherPrefix, group]
  const selected = (f: Partial<AclBindingFilter>): AclBinding[] => all.filter((b) => filterMatches({ ...ANY, ...f }, b))

  it('ANY selects everything; a resource type narrows', () => {
    assert.deepEqual(selected({}), all)
    assert.deepEqual(selected({ resourceType: Res.GROUP }), [group])
  })

  it('LITERAL, PREFIXED and ANY compare the name exactly', () => {
    assert.deepEqual(selected({ resourceType: Res.TOPIC, resourceName: 'orders', patternType: Pat.LITERAL }), [literal])
    assert.deepEqual(selected({ resourceType: Res.TOPIC, resourceName: 'orders', patternType: Pat.PREFIXED }), [])
    assert.deepEqual(selected({ resourceType: Res.TOPIC, resourceName: 'ord', patternType: Pat.PREFIXED }), [prefixed])
    assert.deepEqual(selected({ resourceType: Res.TOPIC, resourceName: 'orders', patternType: Pat.ANY }), [literal])
    assert.deepEqual(selected({ resourceType: Res.TOPIC, patternType: Pat.PREFIXED }), [prefixed, otherPrefix])
  })

  it('MATCH selects what applies to a name: the literal, the * wildcard and matching prefixes', () => {
    assert.deepEqual(selected({ resourceType: Res.TOPIC, resourceName: 'orders', patternType: Pat.MATCH }), [literal, wildcard, prefixed])
    assert.deepEqual(selected({ resourceType: Res.TOPIC, resourceName: 'payments', patternType: Pat.MATCH }), [wildcard, otherPrefix])
    assert.deepEqual(selected({ resourceType: Res.TOPIC, patternType: Pat.MATCH }), [literal, wildcard, prefixed, otherPrefix])
  })

  it('entry filters: principal, host, operation and permission are exact unless null or ANY', () => {
    const bob = acl('orders', Pat.LITERAL, { principal: 'User:bob', host: '10.0.0.1', operation: Op.WRITE, permissionType: Perm.DENY })
    const m = (f: Partial<AclBindingFilter>): boolean => filterMatches({ ...ANY, ...f }, bob)
    assert.ok(m({ principal: 'User:bob', host: '10.0.0.1', operation: Op.WRITE, permissionType: Perm.DENY }))
    assert.ok(!m({ principal: 'User:alice' }))
    assert.ok(!m({ host: '*' }), 'a host filter is not a wildcard match')
    assert.ok(!m({ operation: Op.ALL }), 'an ALL filter selects ALL ACLs only')
    assert.ok(!m({ permissionType: Perm.ALLOW }))
  })

  it('filters with UNKNOWN or undefined codes are refused', () => {
    assert.equal(filterProblem(ANY), undefined)
    assert.match(filterProblem({ ...ANY, operation: Op.UNKNOWN })!, /operation UNKNOWN/)
    assert.match(filterProblem({ ...ANY, patternType: 9 as Pat })!, /pattern type 9/)
  })

  it('new ACLs must be concrete and well formed', () => {
    assert.equal(creationProblem(literal), undefined)
    assert.equal(creationProblem(acl('kafka-cluster', Pat.LITERAL, { resourceType: Res.CLUSTER, operation: Op.ALTER })), undefined)
    assert.equal(creationProblem(acl('orders', Pat.LITERAL, { principal: 'User:*' })), undefined)
    const bad: [Partial<AclBinding>, RegExp][] = [
      [{ resourceType: Res.ANY }, /Invalid resource type ANY/],
      [{ resourceType: 42 as Res }, /Invalid resource type 42/],
      [{ patternType: Pat.MATCH as Pat.LITERAL }, /Invalid pattern type MATCH/],
      [{ operation: Op.UNKNOWN }, /Invalid operation UNKNOWN/],
      [{ permissionType: Perm.ANY as Perm.ALLOW }, /Invalid permission type ANY/],
      [{ resourceName: '' }, /resource name must not be empty/],
      [{ resourceType: Res.CLUSTER, resourceName: 'prod' }, /only valid name for the CLUSTER resource is kafka-cluster/],
      [{ principal: '' }, /Invalid principal ""/],
      [{ principal: 'alice' }, /Invalid principal "alice"/],
      [{ principal: 'User:' }, /Invalid principal "User:"/],
      [{ host: '' }, /host must not be empty/],
    ]
    for (const [over, want] of bad) assert.match(creationProblem(acl('orders', Pat.LITERAL, over)) ?? 'accepted', want, JSON.stringify(over))
  })
})
