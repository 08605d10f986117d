import assert from 'node:assert/strict'
import { CompressionTypes } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { content, mm2Props, readAll, topicExists } from './mirror-helpers'

describe('mirror/integration replication A->B', function () {
  this.timeout(90000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => {
    registerKafkajsCodecs()
    ;[a, b] = await Promise.all([startTestCluster(), startTestCluster()])
  })
  afterEach(async () => { await mirror?.stop(); mirror = undefined })
  after(async () => { await Promise.all([a?.stop(), b?.stop()]) })

  it('copies records byte for byte (key, value, headers, timestamp, partition, order) with every codec', async () => {
    const codecs = { gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD }
    const prefix = uniqueName('copy')
    const admin = a.kafka().admin()
    await admin.connect()
    const producer = a.kafka().producer()
    await producer.connect()
    const topics: string[] = []
    for (const [name, codec] of Object.entries(codecs)) {
      const topic = `${prefix}-${name}`
      topics.push(topic)
      await admin.createTopics({ topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'compression.type', value: name }] }], waitForLeaders: true })
      await producer.send({
        topic, compression: codec,
        messages: Array.from({ length: 60 }, (_, i) => ({
          partition: i % 3, key: i % 7 === 0 ? null : `k${i}`, value: i % 11 === 0 ? null : `v${i}-${name}`,
          timestamp: String(1_700_000_000_000 + i), headers: { h: `x${i}`, n: String(i) },
        })),
      })
    }
    await admin.disconnect()
    await producer.disconnect()

    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': `${prefix}-.*` }))
    for (const topic of topics) {
      const [src, dst] = await Promise.all([readAll(a.kafka(), topic, 60), readAll(b.kafka(), `A.${topic}`, 60)])
      assert.equal(dst.length, 60)
      assert.deepEqual(content(dst), content(src), topic)
    }
    // The remote topics carry the source's compression.type
    const badmin = b.kafka().admin()
    await badmin.connect()
    const cfg = await badmin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: `A.${prefix}-zstd` }] })
    await badmin.disconnect()
    assert.equal(cfg.resources[0].configEntries.find((e) => e.configName === 'compression.type')?.configValue, 'zstd')
    assert.ok(await topicExists(b.kafka(), 'heartbeats'))
    const text = await mirror.metrics.registry.metrics()
    assert.match(text, new RegExp(`mm2_record_count\\{source="A",target="B",topic="${prefix}-gzip",partition="0"\\} 20`))
    assert.match(text, /mm2_replication_latency_ms_bucket\{/)
    // Every record acknowledged: nothing left to replicate; each polled batch's age was taken.
    assert.match(text, new RegExp(`mm2_replication_lag_records\\{source="A",target="B",topic="${prefix}-gzip",partition="0"\\} 0\n`))
    assert.match(text, new RegExp(`mm2_record_age_ms_count\\{source="A",target="B",topic="${prefix}-gzip",partition="0"\\} [1-9]`))
    // The windowed rates count the same records (60 per topic within the last 30 s: 2 per second).
    assert.match(text, new RegExp(`mm2_record_rate\\{source="A",target="B",topic="${prefix}-gzip",partition="0"\\} 0\\.6666`))
    assert.match(text, new RegExp(`mm2_byte_rate\\{source="A",target="B",topic="${prefix}-gzip",partition="0"\\} [1-9]`))
  })
})
