import assert from 'node:assert/strict'
import { CompressionTypes, logLevel, type Kafka } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { WireClient } from '../../../mirror/wire/kafka-client'
import { RawPartitionReader } from '../../../mirror/connectors/raw-partition-reader'
import { toRawMirrorBatch, type BatchContext } from '../../../mirror/connectors/mirror-batch'
import type { TopicPartition } from '../../../mirror/connectors/topic-partitions'

/* eslint-disable @typescript-eslint/no-require-imports */
const Decoder = require('kafkajs/src/protocol/decoder')
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')

const ctx: BatchContext = { source: 'A', target: 'B', remoteTopic: (t) => `A.${t}`, compression: {}, identity: false }

interface Got { partition: number; offset: number; key: string; value: string; ts: string; headers: string }

/** Reads until `count` records came back through toRawMirrorBatch, each decoded with kafkajs as the target will see it. */
async function readAll(reader: RawPartitionReader, count: number, codecs?: Set<number>): Promise<Got[]> {
  const got: Got[] = []
  await waitFor(`${count} records`, async () => {
    for (const rb of await reader.takeBatches(100)) {
      const out = await toRawMirrorBatch(ctx, rb)
      if (out === undefined) continue
      let i = 0
      for (const b of out.batches) {
        codecs?.add(b.readInt16BE(21) & 7)
        assert.equal(b.readInt32BE(57), b.readInt32BE(23) + 1, 'contiguous batch')
        for (const m of (await decodeBatch(new Decoder(b))).records) {
          got.push({ partition: out.partition, offset: out.offsets[i++], key: m.key.toString(), value: m.value.toString(), ts: m.timestamp, headers: JSON.stringify(m.headers) })
        }
      }
      assert.equal(i, out.offsets.length)
    }
    return got.length >= count
  }, { timeoutMs: 30000 })
  // Nothing more arrives (no record twice).
  assert.deepEqual(await reader.takeBatches(300), [])
  return got
}

async function produce(k: Kafka, topic: string, partitions: number, perPartition: number, codecs: CompressionTypes[]): Promise<Array<{ partition: number; key: string; value: string; ts: string }>> {
  const producer = k.producer()
  await producer.connect()
  const sent: Array<{ partition: number; key: string; value: string; ts: string }> = []
  let n = 0
  for (let round = 0; round * 10 < perPartition; round++) {
    const messages = []
    for (let p = 0; p < partitions; p++) {
      for (let i = 0; i < Math.min(10, perPartition - round * 10); i++) {
        const m = { partition: p, key: `p${p}-${round * 10 + i}`, value: `v${n++}`.repeat(3), timestamp: String(1_700_000_000_000 + n), headers: { h: `x${n}` } }
        messages.push(m)
        sent.push({ partition: p, key: m.key, value: m.value, ts: m.timestamp })
      }
    }
    // One batch per partition per send, each send with the next codec.
    await producer.send({ topic, messages, compression: codecs[round % codecs.length] })
  }
  await producer.disconnect()
  return sent
}

describe('mirror/connectors/raw-partition-reader', function () {
  this.timeout(60000)
  let c: TestCluster
  const readers: RawPartitionReader[] = []

  before(async () => { registerKafkajsCodecs(); c = await startTestCluster({ nodes: 2 }) })
  after(async () => { await Promise.all(readers.map((r) => r.stop())); await c?.stop() })

  const client = (): WireClient => new WireClient({ brokers: c.bootstrapServers, clientId: 'raw-reader-test', logLevel: logLevel.NOTHING, connectionTimeout: 10000 })
  const reader = (tps: TopicPartition[], start: Map<string, number>, maxBufferedBytes?: number): RawPartitionReader => {
    const r = new RawPartitionReader(client(), tps, start, { maxWaitMs: 50, ...(maxBufferedBytes !== undefined ? { maxBufferedBytes } : {}) })
    readers.push(r)
    return r
  }
  async function topicOf(partitions: number, configs: Array<{ name: string; value: string }> = []): Promise<string> {
    const topic = uniqueName('raw-read')
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries: configs }], waitForLeaders: true })
    await admin.disconnect()
    return topic
  }
  const tps = (topic: string, n: number): TopicPartition[] => Array.from({ length: n }, (_, partition) => ({ topic, partition }))

  it('reads 3 partitions (leaders on 2 nodes) written with every codec from given offsets, mid-batch: every record once, in order, byte for byte', async () => {
    const topic = await topicOf(3)
    const admin = c.kafka().admin()
    await admin.connect()
    const leaders = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.map((p) => p.leader)
    await admin.disconnect()
    assert.equal(new Set(leaders).size, 2, 'one fetch loop per leader node')
    const codecs = [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]
    const sent = await produce(c.kafka(), topic, 3, 60, codecs)
    // Partition 0 from 0, 1 from 25 (mid-batch: batches hold 10), 2 from 50 (batch start).
    const start = new Map([[`${topic}\u00000`, 0], [`${topic}\u00001`, 25], [`${topic}\u00002`, 50]])
    const r = reader(tps(topic, 3), start, 2000) // a small buffer: backpressure pauses fetching
    await r.start()
    const seen = new Set<number>()
    const got = await readAll(r, 60 + 35 + 10, seen)
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4], 'each codec kept')
    for (let p = 0; p < 3; p++) {
      const from = [0, 25, 50][p]
      const want = sent.filter((s) => s.partition === p).slice(from).map((s, i) => ({ offset: from + i, key: s.key, value: s.value, ts: s.ts }))
      assert.deepEqual(got.filter((g) => g.partition === p).map((g) => ({ offset: g.offset, key: g.key, value: g.value, ts: g.ts })), want)
    }
    assert.ok(got.every((g) => JSON.parse(g.headers).h !== undefined))
  })

  it('reads from the earliest when no offset is given, and resets to the earliest after DeleteRecords (out of range)', async () => {
    const topic = await topicOf(1)
    const k = c.kafka()
    const sent = await produce(k, topic, 1, 50, [CompressionTypes.None])
    const admin = k.admin()
    await admin.connect()
    await admin.fetchTopicMetadata({ topics: [topic] }) // kafkajs's deleteTopicRecords needs it loaded
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '20' }] })
    // Unset start: the earliest is 20 now.
    const r1 = reader(tps(topic, 1), new Map())
    await r1.start()
    assert.deepEqual((await readAll(r1, 30)).map((g) => g.offset), sent.slice(20).map((_, i) => 20 + i))
    // A start below the log start (records deleted since) resets to the earliest, as auto.offset.reset=earliest.
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '35' }] })
    await admin.disconnect()
    const r2 = reader(tps(topic, 1), new Map([[`${topic}\u00000`, 5]]))
    await r2.start()
    const got = await readAll(r2, 15)
    assert.deepEqual(got.map((g) => [g.offset, g.key]), sent.slice(35).map((s, i) => [35 + i, s.key]))
  })

  it('a LogAppendTime topic comes back as CreateTime records carrying the append time; records written later arrive too', async () => {
    const topic = await topicOf(1, [{ name: 'message.timestamp.type', value: 'LogAppendTime' }])
    const before = Date.now()
    const sent = await produce(c.kafka(), topic, 1, 20, [CompressionTypes.GZIP])
    const r = reader(tps(topic, 1), new Map([[`${topic}\u00000`, 0]]))
    await r.start()
    const got = await readAll(r, 20)
    assert.deepEqual(got.map((g) => g.key), sent.map((s) => s.key))
    for (const g of got) assert.ok(Number(g.ts) >= before && Number(g.ts) <= Date.now(), `append time ${g.ts}`)
    const more = await produce(c.kafka(), topic, 1, 10, [CompressionTypes.None])
    assert.deepEqual((await readAll(r, 10)).map((g) => [g.offset, g.key]), more.map((s, i) => [20 + i, s.key]))
  })

  it('follows a partition whose leadership moves to the other node (NOT_LEADER -> metadata refresh): every record once, in order', async () => {
    const topic = await topicOf(2)
    const k = c.kafka()
    const first = await produce(k, topic, 2, 30, [CompressionTypes.None, CompressionTypes.LZ4])
    const r = reader(tps(topic, 2), new Map())
    await r.start()
    const got = await readAll(r, 60)
    // Move partition 0 to the other node: the old leader answers NOT_LEADER_OR_FOLLOWER, metadata names the new one.
    const state = c.cluster.state
    const original = state.leaderFor.bind(state)
    const other = c.cluster.nodes.map((n) => n.nodeId).find((id) => id !== original(topic, 0))!
    state.leaderFor = (t: string, p: number): number => (t === topic && p === 0 ? other : original(t, p))
    try {
      const more = await produce(k, topic, 2, 20, [CompressionTypes.GZIP])
      got.push(...(await readAll(r, 40)))
      for (let p = 0; p < 2; p++) {
        const want = [...first, ...more].filter((s) => s.partition === p).map((s, i) => [i, s.key])
        assert.deepEqual(got.filter((g) => g.partition === p).map((g) => [g.offset, g.key]), want)
      }
    } finally {
      state.leaderFor = original
    }
  })
})
