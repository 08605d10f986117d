// kafkajs producers against the embedded broker: every acks mode, the idempotent producer, every
// compression codec, LogAppendTime; what the broker serves back is what was sent, byte for byte.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { CompressionTypes, type Admin, type Message } from 'kafkajs'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { encodeBatch } from '../../../core/protocol/records/record-codec'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import type { ProduceResponse } from '../../../core/protocol/messages/produce'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { fetchBatches, fetchRecords } from './read-back'
import { WireClient } from './wire-client'

function messages(n: number, tag: string): Message[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 0 ? null : Buffer.from(`${tag}-key-${i}`),
    value: i % 7 === 6 ? null : randomBytes(20 + (i % 50)),
    headers: i % 2 === 0 ? { h: Buffer.from(`hv${i}`) } : undefined,
  }))
}

function assertSame(sent: Message[], got: Awaited<ReturnType<typeof fetchRecords>>): void {
  assert.equal(got.length, sent.length)
  got.forEach((r, i) => {
    assert.equal(r.offset, i)
    assert.deepEqual(r.key, sent[i].key ?? null)
    assert.deepEqual(r.value, sent[i].value ?? null)
    const h = sent[i].headers
    assert.deepEqual(r.headers.map((x) => [x.key, x.value]), h === undefined ? [] : Object.entries(h).map(([k, v]) => [k, v]))
  })
}

describe('core/server kafkajs producers', () => {
  let tc: TestCluster
  let admin: Admin
  before(async () => {
    registerKafkajsCodecs()
    tc = await startTestCluster()
    admin = tc.kafka().admin()
    await admin.connect()
  })
  after(async () => {
    await admin.disconnect()
    await tc.stop()
  })

  for (const acks of [0, 1, -1]) {
    it(`acks=${acks}: every record is stored once, in order, byte for byte`, async () => {
      const topic = uniqueName(`acks${acks}`)
      await admin.createTopics({ topics: [{ topic }] })
      const producer = tc.kafka().producer()
      await producer.connect()
      const sent: Message[] = []
      for (let round = 0; round < 5; round++) {
        const batch = messages(40, `r${round}`)
        sent.push(...batch)
        await producer.send({ topic, acks, messages: batch })
      }
      await producer.disconnect()
      const log = tc.cluster.state.logs.partition(topic, 0)!
      await waitFor('all records stored', () => log.highWatermark === sent.length)
      assertSame(sent, await fetchRecords(tc.bootstrapServers[0], topic))
    })
  }

  it('idempotent producer: producer id from InitProducerId, sequences stored, a resent batch is not duplicated', async () => {
    const topic = uniqueName('idem')
    await admin.createTopics({ topics: [{ topic }] })
    const producer = tc.kafka().producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const sent = messages(30, 'idem')
    for (let i = 0; i < 3; i++) await producer.send({ topic, acks: -1, messages: sent.slice(i * 10, i * 10 + 10) })
    await producer.disconnect()
    const batches = await fetchBatches(tc.bootstrapServers[0], topic)
    assert.ok(batches[0].producerId >= 0)
    assert.deepEqual(batches.map((b) => b.baseSequence), [0, 10, 20])
    assertSame(sent, batches.flatMap((b) => b.records))

    // The same batch sent twice (a retry after a lost response) resolves to the original offsets.
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const init = await c.request(ApiKey.InitProducerId, 0, { transactionalId: null, transactionTimeoutMs: 60000 })
      assert.equal(init.errorCode, ErrorCode.NONE)
      assert.notEqual(init.producerId, batches[0].producerId, 'each InitProducerId gets a new id')
      const batch = encodeBatch({ records: [{ value: 'once' }], producerId: init.producerId, producerEpoch: init.producerEpoch, baseSequence: 0 })
      const produce = (): ReturnType<typeof c.request<ApiKey.Produce>> => c.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] })
      const first = (await produce()).responses[0].partitionResponses[0]
      const again = (await produce()).responses[0].partitionResponses[0]
      assert.equal(first.errorCode, ErrorCode.NONE)
      assert.equal(again.errorCode, ErrorCode.NONE)
      assert.equal(again.baseOffset, first.baseOffset)
      assert.equal(tc.cluster.state.logs.partition(topic, 0)!.highWatermark, 31)
      const gap = encodeBatch({ records: [{ value: 'gap' }], producerId: init.producerId, producerEpoch: init.producerEpoch, baseSequence: 5 })
      const res = await c.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: gap }] }] })
      assert.equal(res.responses[0].partitionResponses[0].errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)
    } finally {
      c.close()
    }
  })

  it('across a restart: producer ids are not reused and a retried batch is still recognised as a duplicate', async () => {
    const tmp = makeTempDir()
    const topic = uniqueName('idem-restart')
    try {
      let cluster = await startTestCluster({ dataDir: tmp.dir })
      let c = await WireClient.connect(cluster.bootstrapServers[0])
      const init = await c.request(ApiKey.InitProducerId, 0, { transactionalId: null, transactionTimeoutMs: 60000 })
      assert.equal(await c.createTopic(topic), ErrorCode.NONE)
      const batch = encodeBatch({ records: [{ value: 'exactly once' }], producerId: init.producerId, producerEpoch: 0, baseSequence: 0 })
      const send = (): Promise<ProduceResponse> => c.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: Buffer.from(batch) }] }] })
      const first = (await send()).responses[0].partitionResponses[0]
      c.close()
      await cluster.stop()

      cluster = await startTestCluster({ dataDir: tmp.dir })
      c = await WireClient.connect(cluster.bootstrapServers[0])
      const again = (await send()).responses[0].partitionResponses[0]
      assert.equal(again.errorCode, ErrorCode.NONE)
      assert.equal(again.baseOffset, first.baseOffset, 'the retry resolves to the original offset')
      assert.equal(cluster.cluster.state.logs.partition(topic, 0)!.highWatermark, 1)
      const next = await c.request(ApiKey.InitProducerId, 0, { transactionalId: null, transactionTimeoutMs: 60000 })
      assert.ok(next.producerId > init.producerId, `${next.producerId} > ${init.producerId}`)
      c.close()
      await cluster.stop()
    } finally {
      tmp.cleanup()
    }
  })

  it('InitProducerId with a transactional id is refused (transactions are not supported)', async () => {
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const res = await c.request(ApiKey.InitProducerId, 1, { transactionalId: uniqueName('txn'), transactionTimeoutMs: 60000 })
      assert.equal(res.errorCode, ErrorCode.INVALID_REQUEST)
      assert.equal(res.producerId, -1)
    } finally {
      c.close()
    }
  })

  for (const [name, codec, id] of [['gzip', CompressionTypes.GZIP, 1], ['snappy', CompressionTypes.Snappy, 2], ['lz4', CompressionTypes.LZ4, 3], ['zstd', CompressionTypes.ZSTD, 4]] as const) {
    it(`${name} batches are stored as sent and read back intact`, async () => {
      const topic = uniqueName(name)
      await admin.createTopics({ topics: [{ topic }] })
      const producer = tc.kafka().producer()
      await producer.connect()
      const sent = messages(60, name)
      await producer.send({ topic, acks: -1, compression: codec, messages: sent.slice(0, 30) })
      await producer.send({ topic, acks: -1, compression: codec, messages: sent.slice(30) })
      await producer.disconnect()
      const batches = await fetchBatches(tc.bootstrapServers[0], topic)
      assert.deepEqual(batches.map((b) => b.compression), [id, id])
      assertSame(sent, batches.flatMap((b) => b.records))
    })
  }

  it('LogAppendTime topics stamp the broker time and report it in the produce response', async () => {
    const topic = uniqueName('lat')
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] })
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const before = Date.now()
      const batch = encodeBatch({ records: [{ value: 'a', timestamp: 1000 }, { value: 'b', timestamp: 2000 }] })
      const res = await c.request(ApiKey.Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] })
      const p = res.responses[0].partitionResponses[0]
      assert.equal(p.errorCode, ErrorCode.NONE)
      assert.ok(p.logAppendTimeMs >= before && p.logAppendTimeMs <= Date.now())
      const [b] = await fetchBatches(tc.bootstrapServers[0], topic)
      assert.equal(b.logAppendTime, true)
      assert.deepEqual(b.records.map((r) => r.timestamp), [p.logAppendTimeMs, p.logAppendTimeMs])
    } finally {
      c.close()
    }
  })

  it('per-partition errors: unknown partition, corrupt batch, batch over max.message.bytes', async () => {
    const topic = uniqueName('errs')
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }] })
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const good = encodeBatch({ records: [{ value: 'ok' }] })
      const corrupt = Buffer.from(good)
      corrupt[corrupt.length - 1] ^= 0xff
      const big = encodeBatch({ records: [{ value: randomBytes(5000) }] })
      const res = await c.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [
        { name: topic, partitionData: [{ index: 0, records: corrupt }, { index: 7, records: good }] },
        { name: uniqueName('missing'), partitionData: [{ index: 0, records: good }] },
      ] })
      const codes = res.responses.flatMap((t) => t.partitionResponses.map((p) => p.errorCode))
      assert.deepEqual(codes, [ErrorCode.CORRUPT_MESSAGE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION])
      const tooBig = await c.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: big }] }] })
      assert.equal(tooBig.responses[0].partitionResponses[0].errorCode, ErrorCode.MESSAGE_TOO_LARGE)
      assert.equal(tc.cluster.state.logs.partition(topic, 0)!.highWatermark, 0)
    } finally {
      c.close()
    }
  })
})

describe('core/server kafkajs consumer', () => {
  let tc: TestCluster
  before(async () => {
    registerKafkajsCodecs()
    tc = await startTestCluster({ nodes: 3 })
  })
  after(async () => { await tc.stop() })

  it('a consumer group reads back every record of every codec, byte for byte and in order per partition', async () => {
    const topic = uniqueName('consume')
    const admin = tc.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })
    await admin.disconnect()
    const producer = tc.kafka().producer()
    await producer.connect()
    const sent = new Map<number, Message[]>([[0, []], [1, []], [2, []]])
    for (const codec of [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      for (let p = 0; p < 3; p++) {
        const batch = messages(20, `c${codec}p${p}`).map((m) => ({ ...m, partition: p }))
        sent.get(p)!.push(...batch)
        await producer.send({ topic, acks: -1, compression: codec, messages: batch })
      }
    }
    await producer.disconnect()
    const got = new Map<number, { key: Buffer | null; value: Buffer | null; offset: string }[]>([[0, []], [1, []], [2, []]])
    const consumer = tc.kafka().consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ partition, message }) => { got.get(partition)!.push({ key: message.key, value: message.value, offset: message.offset }) } })
    try {
      await waitFor('every record consumed', () => [0, 1, 2].every((p) => got.get(p)!.length >= 100), { timeoutMs: 30000 })
    } finally {
      await consumer.disconnect()
    }
    for (let p = 0; p < 3; p++) {
      const want = sent.get(p)!
      const have = got.get(p)!
      assert.equal(have.length, want.length)
      have.forEach((m, i) => {
        assert.equal(m.offset, String(i))
        assert.deepEqual(m.key, want[i].key ?? null)
        assert.deepEqual(m.value, want[i].value ?? null)
      })
    }
  })
})
