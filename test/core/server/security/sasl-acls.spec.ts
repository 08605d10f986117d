// ACLs decided by the SASL user: the authorizer sees User:<name> from the SASL exchange, so one
// user's rights are not another's, a super user needs no ACL, and an unauthenticated PLAINTEXT
// client (User:ANONYMOUS) gets nothing.
import assert from 'node:assert/strict'
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Kafka, type SASLOptions } from 'kafkajs'
import { consumerCrashType, kafkaErrorType } from '../../../helpers/kafka-errors'
import { securityConfig, startSecureCluster, USERS, type SecureCluster } from '../../../helpers/secure-cluster'
import { uniqueName } from '../../../helpers/unique'
import { waitFor } from '../../../helpers/wait-for'

describe('core/server ACLs by SASL user (SCRAM-SHA-256 on SASL_PLAINTEXT)', function () {
  this.timeout(60000)
  const prefix = uniqueName('alice')
  const peekGroup = uniqueName('peek')
  let sc: SecureCluster
  const as = (username: string, password: string): Kafka =>
    sc.kafka('SASL_PLAINTEXT', { sasl: { mechanism: 'scram-sha-256', username, password } as SASLOptions, retry: { retries: 1, initialRetryTime: 50 } })

  before(async () => {
    sc = await startSecureCluster(securityConfig({
      'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:mm2',
    }))
    // The super user grants alice a topic prefix and a group prefix.
    const admin = as('mm2', USERS.mm2).admin()
    await admin.connect()
    const allow = (resourceType: AclResourceTypes, operation: AclOperationTypes) => ({
      resourceType, resourceName: prefix, resourcePatternType: ResourcePatternTypes.PREFIXED,
      principal: 'User:alice', host: '*', operation, permissionType: AclPermissionTypes.ALLOW,
    })
    await admin.createAcls({ acl: [
      allow(AclResourceTypes.TOPIC, AclOperationTypes.ALL), allow(AclResourceTypes.GROUP, AclOperationTypes.READ),
      // A group alice may describe (find its coordinator) but not join.
      { ...allow(AclResourceTypes.GROUP, AclOperationTypes.DESCRIBE), resourceName: peekGroup, resourcePatternType: ResourcePatternTypes.LITERAL },
    ] })
    await admin.createTopics({ topics: [{ topic: `${prefix}-t` }, { topic: `${prefix}x-other` }, { topic: 'not-alices' }], waitForLeaders: true })
    await admin.disconnect()
  })
  after(async () => { await sc?.stop() })

  it('alice works within her prefix and nowhere else; the super user everywhere; ANONYMOUS nowhere', async () => {
    const alice = as('alice', USERS.alice)
    const producer = alice.producer({ allowAutoTopicCreation: false })
    await producer.connect()
    await producer.send({ topic: `${prefix}-t`, messages: [{ value: 'mine' }] })
    const refused = await producer.send({ topic: 'not-alices', messages: [{ value: 'x' }] }).then(() => 'accepted', kafkaErrorType)
    assert.equal(refused, 'TOPIC_AUTHORIZATION_FAILED')
    await producer.disconnect()

    // alice reads her topic in her group.
    const consumer = alice.consumer({ groupId: `${prefix}-group`, maxWaitTimeInMs: 100 })
    const got: string[] = []
    await consumer.connect()
    await consumer.subscribe({ topic: `${prefix}-t`, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => { got.push(String(message.value)) } })
    await waitFor('alice to read her record', () => got.length === 1)
    await consumer.disconnect()
    assert.deepEqual(got, ['mine'])
    // ...but not in a group she may only describe. (A group she may not even describe fails
    // FindCoordinator, which kafkajs reports as "coordinator not found", not by its code.)
    assert.equal(await consumerCrashType(alice, peekGroup, `${prefix}-t`), 'GROUP_AUTHORIZATION_FAILED')

    // Metadata for all topics shows alice only what she may describe.
    const aliceAdmin = alice.admin()
    await aliceAdmin.connect()
    const visible = await aliceAdmin.listTopics()
    await aliceAdmin.disconnect()
    assert.ok(visible.includes(`${prefix}-t`) && visible.includes(`${prefix}x-other`), visible.join(','))
    assert.ok(!visible.includes('not-alices'), 'a topic alice may not describe is hidden from her')

    // The super user needs no ACL.
    const root = as('mm2', USERS.mm2).producer({ allowAutoTopicCreation: false })
    await root.connect()
    await root.send({ topic: 'not-alices', messages: [{ value: 'root' }] })
    await root.disconnect()

    // An unauthenticated client on the PLAINTEXT listener is User:ANONYMOUS, which has no ACL.
    const anonymous = sc.kafka('PLAINTEXT', { retry: { retries: 1, initialRetryTime: 50 } }).producer({ allowAutoTopicCreation: false })
    await anonymous.connect()
    const anon = await anonymous.send({ topic: `${prefix}-t`, messages: [{ value: 'x' }] }).then(() => 'accepted', kafkaErrorType)
    await anonymous.disconnect()
    assert.equal(anon, 'TOPIC_AUTHORIZATION_FAILED')
  })
})
