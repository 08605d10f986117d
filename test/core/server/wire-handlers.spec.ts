// Handler behaviour that kafkajs does not reach, checked on the wire: Metadata null/empty topic
// lists and auto-creation rules, IncrementalAlterConfigs, DescribeConfigs synonyms, Fetch limits
// and OFFSET_OUT_OF_RANGE, DeleteTopics when disabled, ListOffsets, advertised listeners, 'localhost'.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as net from 'node:net'
import { Kafka, logLevel } from 'kafkajs'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { decodeBatches, encodeBatch } from '../../../core/protocol/records/record-codec'
import { startCluster } from '../../../core/server/embedded-cluster'
import { startTestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { WireClient, useWireCluster } from './wire-client'

const TOPIC = 2
const BROKER = 4

describe('core/server handlers on the wire', () => {
  const w = useWireCluster({ config: { 'auto.create.topics.enable': 'true', 'delete.topic.enable': 'false', 'log.retention.hours': '48' } })

  const create = async (name: string, partitions = 1, configs: { name: string; value: string | null }[] = []): Promise<number> =>
    (await w.c.request(ApiKey.CreateTopics, 4, { topics: [{ name, numPartitions: partitions, replicationFactor: -1, assignments: [], configs }], timeoutMs: 1000, validateOnly: false })).topics[0].errorCode
  const produce = async (topic: string, batch: Buffer): Promise<number> =>
    (await w.c.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] })).responses[0].partitionResponses[0].errorCode

  it('Metadata: null lists every topic (internal ones flagged), [] lists none, unknown topics are auto-created only when allowed', async () => {
    const t = uniqueName('md')
    assert.equal(await create(t), ErrorCode.NONE)
    const all = await w.c.request(ApiKey.Metadata, 4, { topics: null, allowAutoTopicCreation: false })
    assert.ok(all.topics.some((x) => x.name === t && !x.isInternal))
    assert.ok(all.topics.some((x) => x.name === '__consumer_offsets' && x.isInternal))
    assert.equal(all.clusterId, w.tc.cluster.clusterId)
    assert.deepEqual((await w.c.request(ApiKey.Metadata, 4, { topics: [], allowAutoTopicCreation: true })).topics, [])
    const notAllowed = uniqueName('md-no')
    const res = await w.c.request(ApiKey.Metadata, 4, { topics: [{ name: notAllowed }], allowAutoTopicCreation: false })
    assert.equal(res.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    assert.equal(w.tc.cluster.state.logs.topic(notAllowed), undefined)
    const allowed = uniqueName('md-yes')
    const made = await w.c.request(ApiKey.Metadata, 4, { topics: [{ name: allowed }], allowAutoTopicCreation: true })
    assert.equal(made.topics[0].errorCode, ErrorCode.NONE)
    assert.equal(made.topics[0].partitions.length, 1)
    const bad = await w.c.request(ApiKey.Metadata, 4, { topics: [{ name: 'no spaces!' }], allowAutoTopicCreation: true })
    assert.equal(bad.topics[0].errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION)
  })

  it('IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT; validateOnly; bad values rejected with a message', async () => {
    const t = uniqueName('iac')
    await create(t)
    const alter = async (configs: { name: string; configOperation: number; value: string | null }[], validateOnly = false) =>
      (await w.c.request(ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType: TOPIC, resourceName: t, configs }], validateOnly })).responses[0]
    const value = async (name: string): Promise<string | null> => {
      const res = await w.c.request(ApiKey.DescribeConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: t, configurationKeys: [name] }], includeSynonyms: false })
      return res.results[0].configs[0].value
    }
    assert.equal((await alter([{ name: 'retention.ms', configOperation: 0, value: '1000' }])).errorCode, ErrorCode.NONE)
    assert.equal(await value('retention.ms'), '1000')
    assert.equal((await alter([{ name: 'cleanup.policy', configOperation: 2, value: 'compact' }])).errorCode, ErrorCode.NONE)
    assert.equal(await value('cleanup.policy'), 'delete,compact')
    assert.equal((await alter([{ name: 'cleanup.policy', configOperation: 3, value: 'delete' }])).errorCode, ErrorCode.NONE)
    assert.equal(await value('cleanup.policy'), 'compact')
    assert.equal((await alter([{ name: 'retention.ms', configOperation: 1, value: null }])).errorCode, ErrorCode.NONE)
    assert.equal(await value('retention.ms'), String(48 * 3600_000), 'back to the broker default (log.retention.hours)')
    assert.equal((await alter([{ name: 'segment.bytes', configOperation: 0, value: '2000000' }], true)).errorCode, ErrorCode.NONE)
    assert.equal(await value('segment.bytes'), '1073741824', 'validateOnly changes nothing')
    const bad = await alter([{ name: 'min.cleanable.dirty.ratio', configOperation: 0, value: '7' }])
    assert.equal(bad.errorCode, ErrorCode.INVALID_CONFIG)
    assert.match(String(bad.errorMessage), /min\.cleanable\.dirty\.ratio: must be between 0 and 1/)
    const unknown = await alter([{ name: 'retention.msec', configOperation: 0, value: '1' }])
    assert.equal(unknown.errorCode, ErrorCode.INVALID_CONFIG)
    const broker = await w.c.request(ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType: BROKER, resourceName: '0', configs: [{ name: 'num.partitions', configOperation: 0, value: '3' }] }], validateOnly: false })
    assert.equal(broker.responses[0].errorCode, ErrorCode.INVALID_REQUEST)
    // As Kafka: one key twice in a resource is a bad request, and nothing of it is applied.
    const twice = await alter([{ name: 'retention.ms', configOperation: 0, value: '5000' }, { name: 'retention.ms', configOperation: 1, value: null }])
    assert.equal(twice.errorCode, ErrorCode.INVALID_REQUEST)
    assert.match(String(twice.errorMessage), /duplicate config keys: retention\.ms/)
    assert.equal(await value('retention.ms'), String(48 * 3600_000))
  })

  it('config changes apply at runtime: max.message.bytes and message.timestamp.type', async () => {
    const t = uniqueName('runtime')
    await create(t)
    const batch = encodeBatch({ records: [{ value: randomBytes(5000), timestamp: 1000 }] })
    assert.equal(await produce(t, Buffer.from(batch)), ErrorCode.NONE)
    const set = (name: string, value: string) => w.c.request(ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType: TOPIC, resourceName: t, configs: [{ name, configOperation: 0, value }] }], validateOnly: false })
    assert.equal((await set('max.message.bytes', '2000')).responses[0].errorCode, ErrorCode.NONE)
    assert.equal(await produce(t, Buffer.from(batch)), ErrorCode.MESSAGE_TOO_LARGE)
    assert.equal((await set('message.timestamp.type', 'LogAppendTime')).responses[0].errorCode, ErrorCode.NONE)
    const before = Date.now()
    assert.equal(await produce(t, encodeBatch({ records: [{ value: 'late', timestamp: 1000 }] })), ErrorCode.NONE)
    const fetched = await w.c.request(ApiKey.Fetch, 4, {
      replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: t, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [], rackId: '',
    })
    const [b] = decodeBatches(fetched.responses[0].partitions[0].records!)
    assert.ok(b.records[0].timestamp >= before, 'stamped with the broker time')
  })

  it('DescribeConfigs: sources and synonyms for topic overrides and broker defaults', async () => {
    const t = uniqueName('dc')
    await create(t, 1, [{ name: 'retention.ms', value: '777' }])
    const res = await w.c.request(ApiKey.DescribeConfigs, 2, { resources: [{ resourceType: TOPIC, resourceName: t, configurationKeys: ['retention.ms', 'segment.bytes'] }], includeSynonyms: true })
    const byName = new Map(res.results[0].configs.map((e) => [e.name, e]))
    const retention = byName.get('retention.ms')!
    assert.equal(retention.configSource, 1, 'DYNAMIC_TOPIC_CONFIG')
    assert.deepEqual(retention.synonyms!.map((s) => [s.name, s.value, s.source]), [['retention.ms', '777', 1], ['log.retention.ms', String(48 * 3600_000), 4]])
    assert.equal(byName.get('segment.bytes')!.configSource, 5, 'DEFAULT_CONFIG: nothing set it')
    const inherited = await w.c.request(ApiKey.DescribeConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: uniqueName('dc-none'), configurationKeys: null }], includeSynonyms: false })
    assert.equal(inherited.results[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    const plain = uniqueName('dc-plain')
    await create(plain)
    const p = await w.c.request(ApiKey.DescribeConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: plain, configurationKeys: ['retention.ms'] }], includeSynonyms: false })
    assert.equal(p.results[0].configs[0].configSource, 4, 'STATIC_BROKER_CONFIG: log.retention.hours=48 in the broker config')
    const missing = await w.c.request(ApiKey.DescribeConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: uniqueName('nope'), configurationKeys: null }], includeSynonyms: false })
    assert.equal(missing.results[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    const broker = await w.c.request(ApiKey.DescribeConfigs, 1, { resources: [{ resourceType: BROKER, resourceName: '0', configurationKeys: ['log.retention.hours', 'num.partitions'] }], includeSynonyms: false })
    const b = new Map(broker.results[0].configs.map((e) => [e.name, e]))
    assert.equal(b.get('log.retention.hours')!.value, '48')
    assert.equal(b.get('log.retention.hours')!.configSource, 4)
    assert.equal(b.get('num.partitions')!.configSource, 5)
  })

  it('Fetch: at least one whole batch past the size limits, OFFSET_OUT_OF_RANGE outside the log, and ListOffsets', async () => {
    const t = uniqueName('fetch')
    await create(t)
    const big = encodeBatch({ records: [{ value: randomBytes(50_000) }] })
    assert.equal(await produce(t, big), ErrorCode.NONE)
    assert.equal(await produce(t, encodeBatch({ records: [{ value: 'small' }] })), ErrorCode.NONE)
    const fetch = (fetchOffset: number, partitionMaxBytes: number, maxBytes: number) => w.c.request(ApiKey.Fetch, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: t, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes }] }], forgottenTopicsData: [], rackId: '',
    })
    const first = (await fetch(0, 100, 100)).responses[0].partitions[0]
    assert.equal(first.errorCode, ErrorCode.NONE)
    assert.equal(first.highWatermark, 2)
    assert.equal(first.lastStableOffset, 2)
    assert.equal(first.logStartOffset, 0)
    const batches = decodeBatches(first.records!)
    assert.equal(batches.length, 1, 'exactly the one batch that exceeds the limits')
    assert.equal(batches[0].records[0].value!.length, 50_000)
    assert.equal((await fetch(3, 1000, 1000)).responses[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE)
    const atEnd = (await fetch(2, 1000, 1000)).responses[0].partitions[0]
    assert.equal(atEnd.errorCode, ErrorCode.NONE)
    assert.equal(atEnd.records!.length, 0)
    const lo = await w.c.request(ApiKey.ListOffsets, 1, { replicaId: -1, isolationLevel: 0, topics: [{ name: t, partitions: [{ partitionIndex: 0, timestamp: -1 }, { partitionIndex: 0, timestamp: -2 }, { partitionIndex: 0, timestamp: Date.now() + 60_000 }, { partitionIndex: 5, timestamp: -1 }] }] })
    assert.deepEqual(lo.topics[0].partitions.map((p) => [p.errorCode, p.offset]), [[0, 2], [0, 0], [0, -1], [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1]])
  })

  it('Fetch long-polls: it answers as soon as a record arrives, well before maxWaitMs', async () => {
    const t = uniqueName('longpoll')
    await create(t)
    const poller = await WireClient.connect(w.tc.bootstrapServers[0])
    try {
      const started = Date.now()
      const pending = poller.request(ApiKey.Fetch, 11, {
        replicaId: -1, maxWaitMs: 20000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: t, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [], rackId: '',
      })
      assert.equal(await produce(t, encodeBatch({ records: [{ value: 'wake up' }] })), ErrorCode.NONE)
      const res = await pending
      const [b] = decodeBatches(res.responses[0].partitions[0].records!)
      assert.equal(b.records[0].value!.toString(), 'wake up')
      assert.ok(Date.now() - started < 10000, 'answered on the append, not at maxWaitMs')
    } finally {
      poller.close()
    }
  })

  it('DeleteTopics answers TOPIC_DELETION_DISABLED when delete.topic.enable=false', async () => {
    const t = uniqueName('nodelete')
    await create(t)
    const res = await w.c.request(ApiKey.DeleteTopics, 1, { topicNames: [t], timeoutMs: 1000 })
    assert.equal(res.responses[0].errorCode, ErrorCode.TOPIC_DELETION_DISABLED)
    assert.notEqual(w.tc.cluster.state.logs.topic(t), undefined)
  })

  it('CreateTopics: a name twice in one request, bad partition counts and illegal names', async () => {
    const res = await w.c.request(ApiKey.CreateTopics, 4, { topics: [
      { name: 'dup-x', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      { name: 'dup-x', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      { name: uniqueName('zero'), numPartitions: 0, replicationFactor: 1, assignments: [], configs: [] },
      { name: 'bad/name', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
    ], timeoutMs: 1000, validateOnly: false })
    assert.deepEqual(res.topics.map((x) => x.errorCode), [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_PARTITIONS, ErrorCode.INVALID_TOPIC_EXCEPTION])
  })
})

describe('core/server listeners', () => {
  it("advertises advertised.listeners and serves clients on 'localhost' whichever address it resolves to", async () => {
    const tmp = makeTempDir()
    const cluster = await startCluster({ dataDir: tmp.dir, host: 'localhost', nodes: 2, config: { 'advertised.listeners': 'PLAINTEXT://localhost:0' } })
    try {
      assert.deepEqual(cluster.nodes.map((n) => n.host), ['localhost', 'localhost'])
      const kafka = new Kafka({ brokers: [`localhost:${cluster.nodes[0].port}`], logLevel: logLevel.NOTHING })
      const admin = kafka.admin()
      await admin.connect()
      const described = await admin.describeCluster()
      assert.deepEqual(described.brokers.map((b) => `${b.host}:${b.port}`).sort(), cluster.nodes.map((n) => `localhost:${n.port}`).sort())
      await admin.disconnect()
    } finally {
      await cluster.stop()
      tmp.cleanup()
    }
  })

  it('listens on an IPv6 host and advertises it', async function () {
    const probe = net.createServer()
    const v6 = await new Promise<boolean>((resolve) => { probe.once('error', () => resolve(false)); probe.listen(0, '::1', () => { probe.close(); resolve(true) }) })
    if (!v6) this.skip()
    const tmp = makeTempDir()
    const cluster = await startCluster({ dataDir: tmp.dir, host: '::1' })
    try {
      assert.match(cluster.bootstrapServers[0], /^\[::1\]:\d+$/)
      const w = await WireClient.connect(cluster.bootstrapServers[0])
      const md = await w.request(ApiKey.Metadata, 1, { topics: [], allowAutoTopicCreation: false })
      w.close()
      assert.deepEqual(md.brokers.map((b) => b.host), ['::1'])
    } finally {
      await cluster.stop()
      tmp.cleanup()
    }
  })
})

describe('core/server with auto.create.topics.enable=false', () => {
  it('Metadata never creates a topic, even when the request allows it', async () => {
    const tc = await startTestCluster({ config: { 'auto.create.topics.enable': 'false' } })
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const t = uniqueName('noauto')
      const res = await c.request(ApiKey.Metadata, 4, { topics: [{ name: t }], allowAutoTopicCreation: true })
      assert.equal(res.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      assert.equal(tc.cluster.state.logs.topic(t), undefined)
    } finally {
      c.close()
      await tc.stop()
    }
  })
})
