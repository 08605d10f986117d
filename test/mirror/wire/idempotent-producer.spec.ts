import assert from 'node:assert/strict'
import { logLevel } from 'kafkajs'
import pino from 'pino'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { content, readAll } from '../integration/mirror-helpers'
import { WireClient } from '../../../mirror/wire/kafka-client'
import { IdempotentProducer, type PartitionBatch } from '../../../mirror/wire/idempotent-producer'
import { crcMatches, stampBatch } from '../../../mirror/wire/batch-rewrite'
import { CODECS, encodeBatch, expectedSeen, sampleRecords, storedBatches, type CodecName } from './raw-batches'

describe('mirror/wire/idempotent-producer IdempotentProducer', function () {
  this.timeout(60000)
  let c: TestCluster
  let producer: IdempotentProducer
  const logged: Array<{ level: number; msg: string; topic?: string }> = []

  before(async () => {
    c = await startTestCluster()
    producer = new IdempotentProducer(
      new WireClient({ brokers: c.bootstrapServers, clientId: 'raw-send-test', logLevel: logLevel.NOTHING, connectionTimeout: 10000 }),
      { log: pino({ level: 'warn' }, { write: (l: string) => { logged.push(JSON.parse(l)) } }), timeoutMs: 10000 })
    await producer.connect()
  })
  after(async () => { await producer?.close(); await c?.stop() })

  async function createTopic(numPartitions = 1, configEntries: { name: string; value: string }[] = []): Promise<string> {
    const topic = uniqueName('raw')
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: true })
    await admin.disconnect()
    return topic
  }

  async function ok(items: PartitionBatch[]): Promise<number[]> {
    const res = await producer.produce(items)
    return res.map((r) => { if (!r.ok) throw r.error; return r.baseOffset })
  }

  for (const codec of Object.keys(CODECS) as CodecName[]) {
    it(`forwards ${codec} batches byte for byte: kafkajs reads every record at base + i, the stored batch keeps the codec and carries our producer`, async () => {
      const topic = await createTopic()
      const first = sampleRecords(`${codec}-a`, 37)
      const second = sampleRecords(`${codec}-b`, 12, 1_700_000_100_000)
      // As fetched from a source: foreign producer, upstream offsets, one of them transactional.
      const b1 = await encodeBatch(codec, first, { baseOffset: 500 })
      const b2 = await encodeBatch(codec, second, { baseOffset: 537, transactional: true })
      assert.deepEqual(await ok([{ topic, partition: 0, batch: b1 }]), [0])
      assert.deepEqual(await ok([{ topic, partition: 0, batch: b2 }]), [37])

      const seen = await readAll(c.kafka(), topic, 49)
      assert.equal(seen.length, 49)
      assert.deepEqual(seen.map((s) => s.offset), Array.from({ length: 49 }, (_, i) => i))
      assert.deepEqual(content(seen).map(({ rawKey: _k, rawValue: _v, ...s }) => s), expectedSeen(0, [...first, ...second]))

      const stored = storedBatches(c.dataDir, topic, 0)
      const { producerId, producerEpoch } = producer.id
      assert.deepEqual(stored.map((h) => [h.baseOffset, h.recordCount, h.codec, h.transactional, h.producerId, h.producerEpoch, h.baseSequence]),
        [[0, 37, CODECS[codec], false, producerId, producerEpoch, 0], [37, 12, CODECS[codec], false, producerId, producerEpoch, 37]])
      assert.ok(crcMatches(b1) && crcMatches(b2))
    })
  }

  it('a retried request (the same bytes again) is deduplicated: the target holds each record once and answers with the first offset', async () => {
    const topic = await createTopic(2)
    const item = { topic, partition: 1, batch: await encodeBatch('lz4', sampleRecords('dup', 20)) }
    assert.deepEqual(await ok([item]), [0])
    const sent = Buffer.from(item.batch)
    assert.deepEqual(await ok([item]), [0], 'the broker recognises the retry')
    assert.ok(item.batch.equals(sent), 'a retry sends exactly the same bytes')
    const next = { topic, partition: 1, batch: await encodeBatch('lz4', sampleRecords('after', 5)) }
    const other = { topic, partition: 0, batch: await encodeBatch('none', sampleRecords('p0', 3)) }
    assert.deepEqual(await ok([next, other]), [20, 0])
    const seen = await readAll(c.kafka(), topic, 28)
    assert.equal(seen.length, 28)
    assert.deepEqual(seen.filter((s) => s.partition === 1).map((s) => s.key), [...sampleRecords('dup', 20), ...sampleRecords('after', 5)].map((r) => r.key))
  })

  it('produces to a partition added to the target after it started', async () => {
    const topic = await createTopic(1)
    assert.deepEqual(await ok([{ topic, partition: 0, batch: await encodeBatch('none', sampleRecords('p0', 4)) }]), [0])
    const admin = c.kafka().admin()
    await admin.connect()
    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] })
    await admin.disconnect()
    assert.deepEqual(await ok([{ topic, partition: 2, batch: await encodeBatch('gzip', sampleRecords('p2', 6)) }]), [0])
    const seen = await readAll(c.kafka(), topic, 10)
    assert.deepEqual(seen.filter((s) => s.partition === 2).map((s) => s.key), sampleRecords('p2', 6).map((r) => r.key))
  })

  it('a sequence the broker refuses asks for a restart; after it (new id, sequences from 0) the batch goes through', async () => {
    const topic = await createTopic()
    assert.deepEqual(await ok([{ topic, partition: 0, batch: await encodeBatch('none', sampleRecords('a', 3)) }]), [0])
    const before = producer.id
    // A batch stamped with a gap in the sequence, as after a lost producer state on the broker.
    const gap: PartitionBatch = { topic, partition: 0, batch: await encodeBatch('none', sampleRecords('b', 4)) }
    stampBatch(gap.batch, before.producerId, before.producerEpoch, 50)
    gap.stamp = { generation: before.generation, sequence: 50 }
    const [refused] = await producer.produce([gap])
    assert.equal(refused.ok, false)
    assert.equal(!refused.ok && refused.retriable, true)
    assert.equal(!refused.ok && refused.restart, true)
    assert.match(!refused.ok ? String((refused.error as { type?: string }).type) : '', /OUT_OF_ORDER_SEQUENCE_NUMBER/)
    await Promise.all([producer.restart(before.generation), producer.restart(before.generation)])
    assert.equal(producer.id.generation, before.generation + 1, 'one restart however many ask for it')
    await producer.restart(before.generation)
    assert.equal(producer.id.generation, before.generation + 1, 'a restart asked for by a stale stamp does nothing')
    assert.deepEqual(await ok([gap]), [3])
    assert.notEqual(producer.id.producerId, before.producerId)
    assert.equal(gap.stamp?.sequence, 0)
    assert.ok(logged.some((l) => l.level === 40 && /restarting the producer/.test(l.msg)), 'the restart is logged as a warning')
    const seen = await readAll(c.kafka(), topic, 7)
    assert.deepEqual(seen.map((s) => s.key), [...sampleRecords('a', 3), ...sampleRecords('b', 4)].map((r) => r.key))
  })

  it('a batch over the topic\'s max.message.bytes fails with a typed error naming the partition and what to change', async () => {
    const topic = await createTopic(1, [{ name: 'max.message.bytes', value: '2000' }])
    const big = await encodeBatch('none', [{ key: 'k', value: 'v'.repeat(5000), timestamp: 1_700_000_000_000 }])
    const [r] = await producer.produce([{ topic, partition: 0, batch: big }])
    assert.equal(r.ok, false)
    if (r.ok) return
    assert.equal(r.retriable, false)
    assert.equal((r.error as { code?: string }).code, 'MIRROR_PRODUCE_REJECTED')
    assert.match(r.error.message, new RegExp(`${topic}-0 .*MESSAGE_TOO_LARGE \\(10\\); raise max.message.bytes on the target topic`))
  })
})
