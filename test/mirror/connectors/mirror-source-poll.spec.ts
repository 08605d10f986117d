// MirrorSourceTask.poll returns bounded polls (at most 4096 records or about 1 MiB), as a
// consumer's max.poll.records bounds MM2's, however much the reader has buffered: every record
// still comes back once, in offset order per partition.
import assert from 'node:assert/strict'
import { MirrorSourceTask } from '../../../mirror/connectors/mirror-source-task'
import { encodePartitions } from '../../../mirror/connectors/topic-partitions'
import type { SourceRecord } from '../../../connectors/api'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'

const PARTITIONS = 4
const PER_PARTITION = 2000
const SIZE = 1024

describe('mirror/connectors/mirror-source-task poll', () => {
  let cluster: TestCluster
  before(async () => { cluster = await startTestCluster() })
  after(async () => { await cluster?.stop() })

  it('returns at most 4096 records or about 1 MiB per poll, every record once and in order', async function () {
    this.timeout(60000)
    const topic = uniqueName('poll-bound')
    const admin = cluster.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] })
    await admin.disconnect()
    const producer = cluster.kafka().producer()
    await producer.connect()
    for (let p = 0; p < PARTITIONS; p++) {
      for (let from = 0; from < PER_PARTITION; from += 500) {
        await producer.send({ topic, messages: Array.from({ length: 500 }, (_, i) => ({ partition: p, value: Buffer.alloc(SIZE, (from + i) % 251) })) })
      }
    }
    await producer.disconnect()

    const task = new MirrorSourceTask()
    const props = {
      'source.cluster.alias': 'A', 'target.cluster.alias': 'B',
      'source.cluster.bootstrap.servers': cluster.brokers, 'target.cluster.bootstrap.servers': cluster.brokers,
      'emit.offset-syncs.enabled': 'false',
      'task.assigned.partitions': encodePartitions(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }))),
    }
    task.initialize({ connector: 'A->B.MirrorSourceConnector', taskId: 0, config: props, offsetStorageReader: { offset: async () => undefined, offsets: async (ps: unknown[]) => ps.map(() => undefined) } } as never)
    await task.start(props)
    // Let the reader buffer several MiB first (what a task busy sending meets on its next poll).
    const reader = (task as unknown as { reader: { bufferedBytes: number } }).reader
    await waitFor('the reader to buffer 4 MiB', () => reader.bufferedBytes >= 4 * 1024 * 1024, { timeoutMs: 30000 })
    const next = new Map<number, number>()
    let total = 0
    let largest = 0
    try {
      const deadline = Date.now() + 45000
      while (total < PARTITIONS * PER_PARTITION && Date.now() < deadline) {
        const polled: SourceRecord[] = (await task.poll()) ?? []
        const bytes = polled.reduce((n, r) => n + (r.value?.length ?? 0), 0)
        assert.ok(polled.length <= 4096, `poll of ${polled.length} records`)
        assert.ok(bytes <= 1024 * 1024 + SIZE, `poll of ${bytes} bytes`)
        largest = Math.max(largest, bytes)
        for (const r of polled) {
          const sp = r.sourcePartition as { partition: number }
          const offset = (r.sourceOffset as { offset: number }).offset
          assert.equal(offset, next.get(sp.partition) ?? 0, `partition ${sp.partition} in order`)
          assert.equal(r.topic, `A.${topic}`)
          assert.ok(r.value !== null && r.value.equals(Buffer.alloc(SIZE, offset % 251)))
          next.set(sp.partition, offset + 1)
        }
        total += polled.length
      }
    } finally {
      await task.stop()
    }
    assert.equal(total, PARTITIONS * PER_PARTITION)
  })
})
