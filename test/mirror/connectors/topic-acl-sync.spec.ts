import assert from 'node:assert/strict'
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, ResourcePatternTypes as Pat, type DescribeAclResource } from 'kafkajs'
import { isAclUnsupported, remoteTopicAcls } from '../../../mirror/connectors/topic-acl-sync'

const acl = (principal: string, operation: Op, permissionType: Perm) => ({ principal, host: '*', operation, permissionType })

describe('mirror/connectors/topic-acl-sync remoteTopicAcls', () => {
  const topics = new Map([['orders', 'A.orders']])

  it('copies literal topic ACLs of replicated topics to the remote name; ALLOW ALL becomes READ, ALLOW WRITE is dropped, DENY stays', () => {
    const resources: DescribeAclResource[] = [{
      resourceType: Res.TOPIC, resourceName: 'orders', resourcePatternType: Pat.LITERAL,
      acls: [
        acl('User:alice', Op.READ, Perm.ALLOW),
        acl('User:bob', Op.ALL, Perm.ALLOW),
        acl('User:carol', Op.WRITE, Perm.ALLOW),
        acl('User:dave', Op.WRITE, Perm.DENY),
        acl('User:erin', Op.DESCRIBE, Perm.ALLOW),
      ],
    }]
    const out = remoteTopicAcls(resources, topics)
    const remote = { resourceType: Res.TOPIC, resourceName: 'A.orders', resourcePatternType: Pat.LITERAL }
    assert.deepEqual(out, [
      { ...remote, ...acl('User:alice', Op.READ, Perm.ALLOW) },
      { ...remote, ...acl('User:bob', Op.READ, Perm.ALLOW) },
      { ...remote, ...acl('User:dave', Op.WRITE, Perm.DENY) },
      { ...remote, ...acl('User:erin', Op.DESCRIBE, Perm.ALLOW) },
    ])
    assert.ok(out.every((e) => !(e.permissionType === Perm.ALLOW && (e.operation === Op.WRITE || e.operation === Op.ALL))))
  })

  it('skips prefixed patterns, other resource types and topics that are not replicated; merges duplicates', () => {
    const resources: DescribeAclResource[] = [
      { resourceType: Res.TOPIC, resourceName: 'orders', resourcePatternType: Pat.PREFIXED, acls: [acl('User:a', Op.READ, Perm.ALLOW)] },
      { resourceType: Res.GROUP, resourceName: 'orders', resourcePatternType: Pat.LITERAL, acls: [acl('User:a', Op.READ, Perm.ALLOW)] },
      { resourceType: Res.TOPIC, resourceName: 'payments', resourcePatternType: Pat.LITERAL, acls: [acl('User:a', Op.READ, Perm.ALLOW)] },
      { resourceType: Res.TOPIC, resourceName: 'orders', resourcePatternType: Pat.LITERAL, acls: [acl('User:a', Op.ALL, Perm.ALLOW), acl('User:a', Op.READ, Perm.ALLOW)] },
    ]
    assert.deepEqual(remoteTopicAcls(resources, topics).map((e) => [e.resourceName, e.principal, e.operation]), [['A.orders', 'User:a', Op.READ]])
  })
})

describe('mirror/connectors/topic-acl-sync isAclUnsupported', () => {
  it('recognises kafkajs "no such API" errors and Kafka\'s SECURITY_DISABLED / UNSUPPORTED_VERSION, not others', () => {
    const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error('x'), { name }, extra)
    assert.equal(isAclUnsupported(named('KafkaJSServerDoesNotSupportApiKey')), true)
    assert.equal(isAclUnsupported(named('KafkaJSNotImplemented')), true)
    assert.equal(isAclUnsupported(named('KafkaJSProtocolError', { type: 'SECURITY_DISABLED' })), true)
    assert.equal(isAclUnsupported(named('KafkaJSNumberOfRetriesExceeded', { cause: named('KafkaJSProtocolError', { type: 'UNSUPPORTED_VERSION' }) })), true)
    assert.equal(isAclUnsupported(named('KafkaJSProtocolError', { type: 'CLUSTER_AUTHORIZATION_FAILED' })), false)
    assert.equal(isAclUnsupported(named('KafkaJSConnectionError')), false)
    assert.equal(isAclUnsupported(undefined), false)
  })
})
