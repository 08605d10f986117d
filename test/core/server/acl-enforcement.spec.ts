// ACL enforcement seen through kafkajs and kcat on a PLAINTEXT listener, where every client is
// User:ANONYMOUS (per-user ACLs over SASL: security/sasl-acls.spec.ts): a principal with exactly
// the ACLs a producer and a consumer group need can do its work; everything else is refused with
// Kafka's error codes, and topics it may not describe stay invisible.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { type Admin, type Kafka } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumerCrashType, kafkaErrorType } from '../../helpers/kafka-errors'
import { createTopic } from '../../../core/server/topic-admin'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { WireClient } from './wire-client'
import { encodeBatch } from '../../../core/protocol/records/record-codec'

const ALLOW = (resourceType: string, resourceName: string, operation: string, patternType = 'LITERAL'): Record<string, string> =>
  ({ resourceType, resourceName, patternType, principal: 'User:ANONYMOUS', host: '*', operation, permissionType: 'ALLOW' })
const DENY = (resourceType: string, resourceName: string, operation: string): Record<string, string> =>
  ({ ...ALLOW(resourceType, resourceName, operation), permissionType: 'DENY' })

/** kcat (librdkafka) as a child process; never spawnSync with the broker in this process. */
function kcat(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('/usr/bin/kcat', args, { timeout: 20000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr })
    })
    if (input !== undefined) child.stdin!.end(input)
  })
}

describe('core/server ACL enforcement (kafkajs and kcat, allow.everyone.if.no.acl.found=false)', function () {
  this.timeout(60000)
  const temp = makeTempDir('godwit-acl-enforce-')
  const ours = uniqueName('ok')
  const noRead = `${ours}-noread`
  const hidden = uniqueName('hidden')
  const describeOnly = uniqueName('describe-only')
  let tc: TestCluster
  let kafka: Kafka
  let admin: Admin

  before(async () => {
    // Seeded on disk: with no super user and no ACL on the cluster, nobody could create the first ACLs.
    fs.writeFileSync(path.join(temp.dir, 'acls.json'), JSON.stringify({
      version: 1,
      acls: [
        ALLOW('TOPIC', ours, 'CREATE', 'PREFIXED'), ALLOW('TOPIC', ours, 'WRITE', 'PREFIXED'), ALLOW('TOPIC', ours, 'READ', 'PREFIXED'),
        ALLOW('GROUP', ours, 'READ', 'PREFIXED'), ALLOW('TOPIC', ours, 'DESCRIBE_CONFIGS', 'PREFIXED'),
        DENY('TOPIC', noRead, 'READ'),
        ALLOW('GROUP', describeOnly, 'DESCRIBE'),
      ],
    }))
    tc = await startTestCluster({ dataDir: temp.dir, config: { 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer' } })
    kafka = tc.kafka('acl-enforce')
    admin = kafka.admin()
    await admin.connect()
    await createTopic(tc.cluster.state, { name: hidden, numPartitions: 1, replicationFactor: 1, configs: {} }, false)
  })
  after(async () => {
    await admin?.disconnect()
    await tc?.stop()
    temp.cleanup()
  })

  it('an idempotent producer and a consumer group with the right ACLs work end to end', async () => {
    const topic = `${ours}-data`
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })
    // Idempotent: InitProducerId is allowed by WRITE on some topic, as in Kafka.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) })
    await producer.disconnect()
    const consumer = kafka.consumer({ groupId: `${ours}-group`, maxWaitTimeInMs: 100 })
    const got: string[] = []
    await consumer.connect()
    try {
      await consumer.subscribe({ topic, fromBeginning: true })
      await consumer.run({ eachMessage: async ({ message }) => { got.push(message.value!.toString()) } })
      await waitFor('10 records', () => got.length >= 10, { timeoutMs: 20000 })
    } finally {
      await consumer.disconnect()
    }
    assert.deepEqual(got.sort(), Array.from({ length: 10 }, (_, i) => `v${i}`).sort())
    const committed = await admin.fetchOffsets({ groupId: `${ours}-group`, topics: [topic] })
    assert.equal(committed[0].partitions.reduce((n, p) => n + Number(p.offset), 0), 10, 'the group committed its offsets')
  })

  it('refuses writes, topic creation, ACL and config access without the ACLs, with Kafka\'s codes', async () => {
    const other = uniqueName('other')
    const producer = kafka.producer({ retry: { retries: 0 } })
    await producer.connect()
    try {
      await assert.rejects(producer.send({ topic: hidden, messages: [{ value: 'x' }] }), (e) => kafkaErrorType(e) === 'TOPIC_AUTHORIZATION_FAILED')
    } finally {
      await producer.disconnect()
    }
    await assert.rejects(admin.createTopics({ topics: [{ topic: other }] }), (e) => kafkaErrorType(e) === 'TOPIC_AUTHORIZATION_FAILED')
    assert.ok(!(await admin.listTopics()).includes(other))
    await assert.rejects(admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 }), (e) => kafkaErrorType(e) === 'CLUSTER_AUTHORIZATION_FAILED')
    await assert.rejects(admin.createAcls({ acl: [{ resourceType: 2, resourceName: other, resourcePatternType: 3, principal: 'User:ANONYMOUS', host: '*', operation: 2, permissionType: 3 }] }),
      (e) => kafkaErrorType(e) === 'CLUSTER_AUTHORIZATION_FAILED')
    await assert.rejects(admin.describeConfigs({ resources: [{ type: 2, name: hidden }], includeSynonyms: false }), (e) => kafkaErrorType(e) === 'TOPIC_AUTHORIZATION_FAILED')
    await assert.rejects(admin.deleteTopics({ topics: [hidden] }), (e) => kafkaErrorType(e) === 'TOPIC_AUTHORIZATION_FAILED')
    assert.ok(tc.cluster.state.logs.topic(hidden) !== undefined, 'the topic is still there')
  })

  it('hides topics the principal may not describe', async () => {
    const visible = `${ours}-visible`
    await admin.createTopics({ topics: [{ topic: visible }], waitForLeaders: true })
    const topics = await admin.listTopics()
    assert.ok(topics.includes(visible))
    assert.ok(!topics.includes(hidden), 'no DESCRIBE on the topic: left out of the all-topics metadata')
    await assert.rejects(admin.fetchTopicMetadata({ topics: [hidden] }), (e) => kafkaErrorType(e) === 'TOPIC_AUTHORIZATION_FAILED')
  })

  it('a principal denied READ on a topic gets TOPIC_AUTHORIZATION_FAILED from kafkajs; one without READ on its group GROUP_AUTHORIZATION_FAILED', async () => {
    await admin.createTopics({ topics: [{ topic: noRead }, { topic: `${ours}-data2` }], waitForLeaders: true })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: noRead, messages: [{ value: 'written, never read' }] })
    await producer.disconnect()
    assert.equal(await consumerCrashType(kafka, `${ours}-g2`, noRead), 'TOPIC_AUTHORIZATION_FAILED')
    // DESCRIBE finds the coordinator; joining needs READ.
    assert.equal(await consumerCrashType(kafka, describeOnly, `${ours}-data2`), 'GROUP_AUTHORIZATION_FAILED')
    // Without even DESCRIBE, FindCoordinator is refused (kafkajs reports that as "coordinator not found").
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const res = await c.request(ApiKey.FindCoordinator, 1, { key: uniqueName('stranger'), keyType: 0 })
      assert.equal(res.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED)
    } finally {
      c.close()
    }
  })

  it('answers a request naming allowed and refused resources with both, in Kafka\'s shapes', async () => {
    const mine = `${ours}-mixed`
    await admin.createTopics({ topics: [{ topic: mine }], waitForLeaders: true })
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const records = encodeBatch({ records: [{ value: 'x' }] })
      const produced = await c.request(ApiKey.Produce, 7, {
        transactionalId: null, acks: -1, timeoutMs: 30000,
        topicData: [{ name: hidden, partitionData: [{ index: 0, records }] }, { name: mine, partitionData: [{ index: 0, records }] }],
      })
      const codes = new Map(produced.responses.map((t) => [t.name, t.partitionResponses[0].errorCode]))
      assert.deepEqual([codes.get(mine), codes.get(hidden)], [ErrorCode.NONE, ErrorCode.TOPIC_AUTHORIZATION_FAILED])

      const missing = uniqueName('nope')
      const auto = `${ours}-auto`
      const md = await c.request(ApiKey.Metadata, 6, { topics: [{ name: hidden }, { name: mine }, { name: missing }, { name: auto }], allowAutoTopicCreation: true })
      assert.deepEqual(md.topics.map((t) => [t.name, t.errorCode]), [
        [hidden, ErrorCode.TOPIC_AUTHORIZATION_FAILED], [mine, ErrorCode.NONE], [missing, ErrorCode.TOPIC_AUTHORIZATION_FAILED], [auto, ErrorCode.NONE],
      ])
      assert.equal(tc.cluster.state.logs.topic(missing), undefined, 'not auto-created without CREATE')
      assert.ok(tc.cluster.state.logs.topic(auto) !== undefined, 'auto-created with CREATE on its prefix')

      const configs = await c.request(ApiKey.DescribeConfigs, 1, {
        resources: [{ resourceType: 2, resourceName: hidden, configurationKeys: null }, { resourceType: 2, resourceName: mine, configurationKeys: ['cleanup.policy'] }, { resourceType: 4, resourceName: '0', configurationKeys: null }],
        includeSynonyms: false,
      })
      assert.deepEqual(configs.results.map((r) => [r.resourceName, r.errorCode, r.configs.length]), [
        [hidden, ErrorCode.TOPIC_AUTHORIZATION_FAILED, 0], [mine, ErrorCode.NONE, 1], ['0', ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 0],
      ])

      // Nothing readable: answered at once, not after max_wait_ms.
      const started = Date.now()
      const fetched = await c.request(ApiKey.Fetch, 11, {
        replicaId: -1, maxWaitMs: 20000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: hidden, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [], rackId: '',
      })
      assert.ok(Date.now() - started < 5000)
      assert.deepEqual(fetched.responses.map((t) => [t.topic, t.partitions[0].errorCode, t.partitions[0].records]), [[hidden, ErrorCode.TOPIC_AUTHORIZATION_FAILED, null]])
    } finally {
      c.close()
    }
    // acks=0 has no response to carry the refusal: the broker closes the connection, as Kafka does.
    const quiet = await WireClient.connect(tc.bootstrapServers[0])
    try {
      quiet.send(ApiKey.Produce, 7, { transactionalId: null, acks: 0, timeoutMs: 30000, topicData: [{ name: hidden, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: 'x' }] }) }] }] })
      assert.ok(await quiet.waitClosed(5000), 'connection closed')
    } finally {
      quiet.close()
    }
  })

  it('librdkafka (kcat) sees the same: only describable topics listed, a refused produce fails with "Topic authorization failed"', async () => {
    const topic = `${ours}-kcat`
    const produced = await kcat(['-b', tc.brokers, '-P', '-t', topic], 'one\ntwo\n')
    assert.equal(produced.code, 0, produced.stderr)
    const consumed = await kcat(['-b', tc.brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'])
    assert.deepEqual(consumed.stdout.split('\n').filter((l) => l !== ''), ['one', 'two'])
    const listed = await kcat(['-b', tc.brokers, '-L', '-J'])
    const names = (JSON.parse(listed.stdout) as { topics: { topic: string }[] }).topics.map((t) => t.topic)
    assert.ok(names.includes(topic) && !names.includes(hidden), names.join(','))
    const refused = await kcat(['-b', tc.brokers, '-P', '-t', hidden], 'x\n')
    assert.match(refused.stderr, /Topic authorization failed/)
  })
})
