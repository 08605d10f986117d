import assert from 'node:assert/strict'
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs'
import pino from 'pino'
import * as path from 'node:path'
import { startCluster, type EmbeddedCluster } from '../../../core/server/embedded-cluster'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { readAll } from '../integration/mirror-helpers'
import { RawBatchSender } from '../../../mirror/driver/raw-batch-sender'
import type { RawMirrorBatch } from '../../../mirror/connectors/mirror-batch'
import { encodeBatch, expectedSeen, sampleRecords, type CodecName, type TestRecord } from '../wire/raw-batches'

const CODEC_CYCLE: CodecName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

describe('mirror/driver/raw-batch-sender RawBatchSender', function () {
  this.timeout(60000)
  let c: TestCluster
  let stopping = false
  const senders: RawBatchSender[] = []
  /** What the senders logged (JSON lines): the tests watch retries through it. */
  const logged: Array<{ msg: string; topic?: string }> = []
  const log = pino({ level: 'warn' }, { write: (line: string) => { logged.push(JSON.parse(line)) } })

  before(async () => { c = await startTestCluster({ nodes: 2 }) })
  after(async () => {
    stopping = true
    await Promise.all(senders.map((s) => s.close()))
    await c?.stop()
  })

  function target(): KafkaConfig {
    return { brokers: c.bootstrapServers, clientId: 'raw-sender-test', logLevel: logLevel.NOTHING, connectionTimeout: 10000, requestTimeout: 10000 }
  }

  async function createTopic(topic: string, numPartitions: number, configEntries: { name: string; value: string }[] = []): Promise<void> {
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: true })
    await admin.disconnect()
  }

  /** A RawMirrorBatch of `groups` record batches for one partition, upstream offsets from `from`. */
  async function rawBatch(topic: string, partition: number, from: number, groups: TestRecord[][], codec: CodecName): Promise<RawMirrorBatch> {
    const batches: Buffer[] = []
    let at = from
    for (const g of groups) { batches.push(await encodeBatch(codec, g, { baseOffset: at })); at += g.length }
    return {
      topic, partition, batches,
      offsets: Array.from({ length: at - from }, (_, i) => from + i),
      bytes: batches.reduce((s, b) => s + b.length, 0),
      maxTimestamps: groups.map((g) => Math.max(...g.map((r) => r.timestamp))),
      sourcePartition: { cluster: 'A', topic: 'src', partition }, sourceKey: `A:src:${partition}`,
    } as RawMirrorBatch
  }

  function start(acks: Array<{ batch: RawMirrorBatch; base: number }>, more: Partial<ConstructorParameters<typeof RawBatchSender>[0]> = {}): RawBatchSender {
    const s = new RawBatchSender({ target: target(), isStopping: () => stopping, onAck: (batch, base) => acks.push({ batch, base }), log, ...more })
    senders.push(s)
    return s
  }

  it('delivers every batch of every partition across two leaders, acknowledged in order per partition with exact offsets', async () => {
    const topic = uniqueName('raw-send')
    await createTopic(topic, 4)
    const acks: Array<{ batch: RawMirrorBatch; base: number }> = []
    const sender = start(acks)
    await sender.connect()
    const written = new Map<number, TestRecord[]>()
    let enqueuedBytes = 0
    for (let round = 0; round < 6; round++) {
      const polled: RawMirrorBatch[] = []
      for (let p = 0; p < 4; p++) {
        const prev = written.get(p) ?? []
        const groups = [sampleRecords(`p${p}r${round}a`, 5 + p + round), sampleRecords(`p${p}r${round}b`, 3)]
        polled.push(await rawBatch(topic, p, 1000 * p + prev.length, groups, CODEC_CYCLE[(p + round) % 5]))
        written.set(p, [...prev, ...groups.flat()])
      }
      enqueuedBytes += polled.reduce((s, b) => s + b.bytes, 0)
      sender.enqueue(polled)
      await sender.waitBelow(8 * 1024)
    }
    await sender.idle()
    const total = [...written.values()].reduce((s, r) => s + r.length, 0)
    // Acknowledged: every record once, in order per partition, record i of a batch at base + i.
    for (let p = 0; p < 4; p++) {
      const mine = acks.filter((a) => a.batch.partition === p)
      const downstream = mine.flatMap((a) => a.batch.offsets.map((o, i) => [o, a.base + i]))
      assert.deepEqual(downstream, written.get(p)!.map((_, i) => [1000 * p + i, i]), `partition ${p} offsets`)
    }
    assert.equal(acks.reduce((s, a) => s + a.batch.bytes, 0), enqueuedBytes)
    const seen = await readAll(c.kafka(), topic, total)
    assert.equal(seen.length, total)
    for (let p = 0; p < 4; p++) {
      assert.deepEqual(seen.filter((s) => s.partition === p).map(({ offset: _o, rawKey: _k, rawValue: _v, ...s }) => s), expectedSeen(p, written.get(p)!))
    }
  })

  it('keeps retrying a partition whose topic does not exist yet and delivers once it does, skipping nothing', async () => {
    const topic = uniqueName('raw-late')
    const acks: Array<{ batch: RawMirrorBatch; base: number }> = []
    const sender = start(acks)
    await sender.connect()
    const groups = [sampleRecords('late-a', 4), sampleRecords('late-b', 6)]
    sender.enqueue([await rawBatch(topic, 0, 50, groups.slice(0, 1), 'lz4'), await rawBatch(topic, 0, 54, groups.slice(1), 'none')])
    await waitFor('two failed attempts', () => logged.filter((l) => l.topic === topic && /retrying/.test(l.msg)).length >= 2)
    assert.equal(acks.length, 0)
    await createTopic(topic, 1)
    await waitFor('both batches acknowledged', () => acks.length === 2, { timeoutMs: 20000 })
    assert.deepEqual(acks.map((a) => [a.batch.offsets[0], a.base]), [[50, 0], [54, 4]])
    const seen = await readAll(c.kafka(), topic, 10)
    assert.deepEqual(seen.map((s) => s.key), groups.flat().map((r) => r.key))
  })

  it('holds only a stalled partition: its bytes leave the backpressure count, another topic flows, the hold ends with its first acknowledgement', async () => {
    const [missing, present] = [uniqueName('raw-held'), uniqueName('raw-flows')]
    await createTopic(present, 1)
    const acks: Array<{ batch: RawMirrorBatch; base: number }> = []
    const sender = start(acks)
    await sender.connect()
    const stuck = { ...(await rawBatch(missing, 0, 0, [sampleRecords('held', 8)], 'none')), sourceKey: 'held\u00000' }
    sender.enqueue([stuck])
    await waitFor('the missing topic\'s partition held', () => sender.held('held\u00000'))
    assert.equal(sender.held('flows\u00000'), false)
    // Backpressure below its size no longer waits for it (the runner keeps polling the others).
    await sender.waitBelow(stuck.bytes - 1)
    sender.enqueue([{ ...(await rawBatch(present, 0, 0, [sampleRecords('flows', 5)], 'gzip')), sourceKey: 'flows\u00000' }])
    await waitFor('the other topic acknowledged', () => acks.some((a) => a.batch.topic === present))
    assert.equal(acks.some((a) => a.batch.topic === missing), false)

    await createTopic(missing, 1)
    await waitFor('the held batch acknowledged', () => acks.some((a) => a.batch.topic === missing), { timeoutMs: 20000 })
    assert.equal(sender.held('held\u00000'), false)
    assert.deepEqual((await readAll(c.kafka(), missing, 8)).map((s) => s.key), sampleRecords('held', 8).map((r) => r.key))
  })

  it('a batch refused as too large in the middle of a window holds back the ones behind it until the topic accepts it', async () => {
    const topic = uniqueName('raw-big')
    await createTopic(topic, 1, [{ name: 'max.message.bytes', value: '3000' }])
    const acks: Array<{ batch: RawMirrorBatch; base: number }> = []
    const rejected: Error[] = []
    const sender = start(acks, { onRejected: (_b, err) => rejected.push(err) })
    await sender.connect()
    const big = [{ key: 'big', value: 'v'.repeat(8000), timestamp: 1_700_000_000_000 }]
    const small = (tag: string) => [sampleRecords(tag, 2)]
    // Two batches before the big one (the first opens the window), two behind it, all queued at once.
    sender.enqueue([
      await rawBatch(topic, 0, 0, small('a'), 'none'), await rawBatch(topic, 0, 2, small('b'), 'gzip'),
      await rawBatch(topic, 0, 4, [big], 'none'),
      await rawBatch(topic, 0, 5, small('c'), 'lz4'), await rawBatch(topic, 0, 7, small('d'), 'none'),
    ])
    await waitFor('the rejection', () => rejected.length > 0)
    assert.equal((rejected[0] as { code?: string }).code, 'MIRROR_PRODUCE_REJECTED')
    assert.match(rejected[0].message, /MESSAGE_TOO_LARGE/)
    assert.deepEqual(acks.map((a) => a.batch.offsets[0]), [0, 2], 'nothing behind the refused batch is acknowledged')
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'max.message.bytes', value: '100000' }] }] })
    await admin.disconnect()
    await waitFor('every batch acknowledged', () => acks.length === 5, { timeoutMs: 20000 })
    assert.deepEqual(acks.map((a) => [a.batch.offsets, a.base]), [[[0, 1], 0], [[2, 3], 2], [[4], 4], [[5, 6], 5], [[7, 8], 7]])
    const seen = await readAll(c.kafka(), topic, 9)
    assert.deepEqual(seen.map((r) => r.key), [...small('a')[0], ...small('b')[0], big[0], ...small('c')[0], ...small('d')[0]].map((r) => r.key))
  })

  it('retries while the target is down (same data, same port when it comes back) and then delivers everything once, in order', async () => {
    const temp = makeTempDir('godwit-raw-outage-')
    const dataDir = path.join(temp.dir, 'b')
    let b: EmbeddedCluster | undefined = await startCluster({ dataDir, ports: [0], config: { 'group.initial.rebalance.delay.ms': '0' } })
    try {
      const port = b.nodes[0].port
      const topic = uniqueName('raw-outage')
      const bKafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, connectionTimeout: 10000, retry: { retries: 8, initialRetryTime: 50 } })
      const admin = bKafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })
      await admin.disconnect()
      const acks: Array<{ batch: RawMirrorBatch; base: number }> = []
      const sender = new RawBatchSender({
        // No retries inside kafkajs's Cluster: each failed attempt reaches the sender's own backoff at once.
        target: { brokers: [`127.0.0.1:${port}`], clientId: 'raw-outage', logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 5000, retry: { retries: 0 } },
        isStopping: () => stopping, onAck: (batch, base) => acks.push({ batch, base }), log,
      })
      senders.push(sender)
      await sender.connect()
      const groups = (p: number, tag: string): TestRecord[][] => [sampleRecords(`${tag}-p${p}-a`, 7), sampleRecords(`${tag}-p${p}-b`, 4)]
      sender.enqueue([await rawBatch(topic, 0, 0, groups(0, 'before'), 'gzip'), await rawBatch(topic, 1, 0, groups(1, 'before'), 'none')])
      await sender.idle()
      assert.equal(acks.length, 4)

      await b.stop()
      b = undefined
      sender.enqueue([await rawBatch(topic, 0, 11, groups(0, 'during'), 'gzip'), await rawBatch(topic, 1, 11, groups(1, 'during'), 'none')])
      await waitFor('the sender to retry', () => logged.some((l) => l.topic === topic && /retrying/.test(l.msg)), { timeoutMs: 30000 })
      b = await startCluster({ dataDir, ports: [port], config: { 'group.initial.rebalance.delay.ms': '0' } })
      await waitFor('every batch acknowledged', () => acks.length === 8, { timeoutMs: 40000 })
      for (const p of [0, 1]) {
        assert.deepEqual(acks.filter((a) => a.batch.partition === p).flatMap((a) => a.batch.offsets.map((o, i) => [o, a.base + i])),
          Array.from({ length: 22 }, (_, i) => [i, i]), `partition ${p}: each upstream offset at the same downstream offset`)
      }
      const seen = await readAll(bKafka, topic, 44, 30000)
      assert.equal(seen.length, 44, 'each record once')
      for (const p of [0, 1]) {
        assert.deepEqual(seen.filter((s) => s.partition === p).map((s) => s.key), [...groups(p, 'before'), ...groups(p, 'during')].flat().map((r) => r.key))
      }
    } finally {
      await b?.stop()
      temp.cleanup()
    }
  })
})
