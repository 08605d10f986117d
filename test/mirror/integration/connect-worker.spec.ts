import assert from 'node:assert/strict'
import * as path from 'node:path'
import { CompressionTypes } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { builtinPlugins } from '../../../connectors/builtin'
import { StandaloneHerder } from '../../../connectors/runtime/standalone-herder'
import { Worker } from '../../../connectors/runtime/worker'
import { parseWorkerConfig } from '../../../connectors/runtime/worker-config'
import { fileOffsetStore } from '../../../connectors/storage'
import type { ConnectorProps } from '../../../connectors/api'
import { registerPlugins } from '../../../mirror/connectors'
import { storedBatches, CODECS } from '../wire/raw-batches'
import { PROVENANCE_HEADER } from '../../../mirror/policy'
import type { WireRecord } from '../../../mirror/wire/record-codec'
import { produceRaw, storedRecords } from './raw-records'
import { content, readAll, type Seen } from './mirror-helpers'

// MM2's connectors are ordinary Connect plugins: they also run in Godwit's Connect worker (the
// worker connected to the target cluster, as in MM2 on a Connect cluster). Under every policy
// the task writes itself (SelfWritingSourceTask): batches reach B as bytes.
describe('mirror/integration MirrorSourceConnector in the Connect worker', function () {
  this.timeout(60000)
  let a: TestCluster
  let b: TestCluster
  const temp = makeTempDir('godwit-mirror-connect-')

  before(async () => {
    registerPlugins(plugins)
    ;[a, b] = await Promise.all([startTestCluster(), startTestCluster()])
  })
  after(async () => { await Promise.all([a?.stop(), b?.stop()]); temp.cleanup() })

  const plugins = builtinPlugins()

  async function createTopic(topic: string, numPartitions: number): Promise<void> {
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true })
    await admin.disconnect()
  }

  /** MirrorSourceConnector A->B for one topic, by MM2's class name, as a Connect user submits it. */
  function sourceProps(topic: string, extra: ConnectorProps = {}): ConnectorProps {
    return {
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      'source.cluster.alias': 'A', 'target.cluster.alias': 'B',
      'source.cluster.bootstrap.servers': a.brokers, 'target.cluster.bootstrap.servers': b.brokers,
      'topics': topic, 'replication.factor': '1', 'offset-syncs.topic.replication.factor': '1',
      ...extra,
    }
  }

  /** Runs `name` with `props` in a standalone worker connected to B (offsets in `offsetsFile`) while `body` runs. */
  async function withWorker<T>(offsetsFile: string, name: string, props: ConnectorProps, body: () => Promise<T>): Promise<T> {
    const { config } = parseWorkerConfig({ 'bootstrap.servers': b.brokers, 'offset.flush.interval.ms': '1000' })
    const herder = new StandaloneHerder({ worker: new Worker({ workerId: 'mm2:0', config, plugins, offsetStore: fileOffsetStore(offsetsFile) }) })
    await herder.start()
    try {
      await herder.putConnectorConfig(name, props, { allowReplace: false })
      return await body()
    } finally {
      await herder.stop()
    }
  }

  it('replicates a topic when run by connector.class org.apache.kafka.connect.mirror.MirrorSourceConnector, batches as bytes in their source codec', async () => {
    const topic = uniqueName('cw')
    await createTopic(topic, 2)
    const p = a.kafka().producer()
    await p.connect()
    await p.send({ topic, compression: CompressionTypes.GZIP, messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: `v${i}`, headers: { n: String(i) } })) })
    await p.disconnect()

    await withWorker(path.join(temp.dir, 'offsets'), 'mm2-source', sourceProps(topic), async () => {
      const [src, dst] = await Promise.all([readAll(a.kafka(), topic, 40), readAll(b.kafka(), `A.${topic}`, 40)])
      assert.deepEqual(content(dst), content(src))
      // The worker's own producer would have written them uncompressed: the raw path keeps gzip.
      for (const part of [0, 1]) {
        const stored = storedBatches(b.dataDir, `A.${topic}`, part)
        assert.ok(stored.length > 0)
        assert.deepEqual([...new Set(stored.map((h) => h.codec))], [CODECS.gzip], `A.${topic}-${part}: every batch gzip`)
      }
    })
  })

  it('under IdentityReplicationPolicy the task writes itself too: headers exact (null kept), provenance appended, gzip kept', async () => {
    const topic = uniqueName('cw-identity')
    await createTopic(topic, 1)
    const records: WireRecord[] = Array.from({ length: 5 }, (_, i) => ({
      offset: i, timestamp: 1_700_000_000_000 + i, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`),
      headers: [['2', Buffer.from('two')], ['a', null], ['1', Buffer.from(String(i))]],
    }))
    await produceRaw(a.brokers.split(','), topic, CODECS.gzip, records)
    const identity = sourceProps(topic, { 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy' })
    await withWorker(path.join(temp.dir, 'offsets-identity'), 'mm2-identity', identity, async () => {
      await readAll(b.kafka(), topic, 5)
      // The worker's producer would have turned the null into an empty value and reordered the keys.
      assert.deepEqual(await storedRecords(b.dataDir, topic, 0), records.map((r) => ({ ...r, headers: [...r.headers, [PROVENANCE_HEADER, Buffer.from('A,B')]] })))
      assert.deepEqual([...new Set(storedBatches(b.dataDir, topic, 0).map((h) => h.codec))], [CODECS.gzip])
    })
  })

  it('stores the downstream offset with each source offset, so a restart after a crash re-sends nothing', async () => {
    const topic = uniqueName('cw-resume')
    await createTopic(topic, 2)
    const p = a.kafka().producer()
    await p.connect()
    const send = (from: number, to: number) => p.send({ topic, messages: Array.from({ length: to - from }, (_, j) => ({ partition: (from + j) % 2, value: `v${from + j}` })) })
    const offsetsFile = path.join(temp.dir, `${topic}.offsets`)
    const runWorker = (until: number): Promise<Seen[]> => withWorker(offsetsFile, 'mm2-source', sourceProps(topic), () => readAll(b.kafka(), `A.${topic}`, until))
    await send(0, 40)
    await runWorker(40)
    const store = fileOffsetStore(offsetsFile)
    await store.start()
    const parts = [0, 1].map((partition) => ({ cluster: 'A', topic, partition }))
    assert.deepEqual(await store.get('mm2-source', parts), [{ offset: 19, downstream: 19 }, { offset: 19, downstream: 19 }])
    // As if the worker had died right after committing partition 0 at upstream 9: records 10..19
    // of it are on B but not committed.
    await store.set('mm2-source', [{ partition: parts[0], offset: { offset: 9, downstream: 9 } }])
    await store.stop()
    await send(40, 60)
    await p.disconnect()
    const got = await runWorker(60)
    for (const part of [0, 1]) {
      const values = got.filter((r) => r.partition === part).map((r) => Number(r.value!.slice(1)))
      assert.deepEqual(values, Array.from({ length: 30 }, (_, i) => 2 * i + part), `partition ${part}: every record once, in order`)
    }
  })
})
