import assert from 'node:assert/strict'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { decodeOffsetSync, type OffsetSync } from '../../../mirror/formats'
import { content, mm2Props, readAll } from '../integration/mirror-helpers'

describe('mirror/driver data path (several batches of one partition, more partitions than requests carry)', function () {
  this.timeout(90000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  after(async () => { await mirror?.stop(); await Promise.all([a?.stop(), b?.stop()]) })

  it('keeps order and exact offsets when a partition spans many record batches and five partitions share one producer', async () => {
    // 5 partitions, one of them empty; partition 0 holds 2,600 records in six source batches.
    const topic = uniqueName('chunks')
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 5 }], waitForLeaders: true })
    await admin.disconnect()
    const producer = a.kafka().producer()
    await producer.connect()
    const counts = [2600, 40, 1100, 0, 7]
    for (let p = 0; p < counts.length; p++) {
      for (let i = 0; i < counts[p]; i += 500) {
        await producer.send({
          topic,
          messages: Array.from({ length: Math.min(500, counts[p] - i) }, (_, j) => ({
            partition: p, key: `p${p}-${i + j}`, value: (i + j) % 13 === 0 ? null : `v${i + j}`,
            timestamp: String(1_700_000_000_000 + i + j), headers: { seq: String(i + j), dup: ['x', 'y'] },
          })),
        })
      }
    }
    await producer.disconnect()
    const total = counts.reduce((s, n) => s + n, 0)

    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': topic }))
    const [src, dst] = await Promise.all([readAll(a.kafka(), topic, total), readAll(b.kafka(), `A.${topic}`, total)])
    assert.equal(dst.length, total)
    assert.deepEqual(content(dst), content(src))
    // A fresh remote topic: every record lands at its upstream offset (base offset + index per batch).
    assert.deepEqual(dst.map((r) => [r.partition, r.offset]), src.map((r) => [r.partition, r.offset]))
    const text = await mirror.metrics.registry.metrics()
    assert.match(text, new RegExp(`mm2_record_count\\{source="A",target="B",topic="${topic}",partition="0"\\} 2600`))
    // The offset syncs carry the downstream offsets the producer's acks gave: equal to upstream here,
    // up to each partition's last record.
    await mirror.stop()
    mirror = undefined
    const syncs: OffsetSync[] = []
    const consumer = a.kafka().consumer({ groupId: uniqueName('syncs'), maxWaitTimeInMs: 100 })
    await consumer.connect()
    try {
      await consumer.subscribe({ topic: 'mm2-offset-syncs.B.internal', fromBeginning: true })
      await consumer.run({ eachMessage: async ({ message }) => { const s = decodeOffsetSync(message.key, message.value); if (s.topic === topic) syncs.push(s) } })
      const last = (p: number): number => Math.max(-1, ...syncs.filter((s) => s.partition === p).map((s) => s.upstreamOffset))
      await waitFor('offset syncs up to every partition\'s last record', () => counts.every((n, p) => last(p) === n - 1), { timeoutMs: 20000 })
    } finally {
      await consumer.disconnect()
    }
    for (const s of syncs) assert.equal(s.downstreamOffset, s.upstreamOffset, JSON.stringify(s))
  })
})
