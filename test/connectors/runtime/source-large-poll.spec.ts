// A poll far larger than the broker's message.max.bytes (1 MiB by default) is sent as several
// produce requests under the producer's max.request.size: every record arrives once, in order,
// the task stays RUNNING, and the committed offset is the last acknowledged record's.
import assert from 'node:assert/strict'
import { defineConfig } from '../../../config'
import { SourceConnector, SourceTask, type ConnectorProps, type RecordMetadata, type SourceRecord } from '../../../connectors/api'
import { builtinPlugins } from '../../../connectors/builtin'
import { splitIntoRequests, estimateRecordSize } from '../../../connectors/runtime/send-chunks'
import type { StandaloneWorker } from '../../../connectors/standalone'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest, startWorker } from '../connect-helpers'

const COUNT = 8192
const SIZE = 1024

const Def = defineConfig('LargePollSource (test)', {
  'topic': { type: 'string', required: true, doc: 'topic of every record' },
})

/** Acknowledged offsets per topic, as commitRecord reported them. */
const acked = new Map<string, number[]>()

class LargePollConnector extends SourceConnector {
  private props: ConnectorProps = {}
  config() { return Def }
  start(props: ConnectorProps): void { this.props = props }
  taskClass() { return LargePollTask }
  taskConfigs(): ConnectorProps[] { return [{ ...this.props }] }
  stop(): void {}
}

/** One poll of COUNT records of SIZE bytes (8 MiB) to partition 0, then nothing. */
class LargePollTask extends SourceTask {
  private topic = ''
  private done = false
  start(props: ConnectorProps): void { this.topic = Def.parse(props, { allowUnknown: true }).topic }
  async poll(): Promise<SourceRecord[] | null> {
    if (this.done) { await new Promise((r) => setTimeout(r, 50)); return null }
    this.done = true
    return Array.from({ length: COUNT }, (_, i) => record(this.topic, i))
  }
  override commitRecord(r: SourceRecord, metadata: RecordMetadata | null): void {
    let list = acked.get(r.topic)
    if (list === undefined) acked.set(r.topic, (list = []))
    list.push(metadata === null ? -1 : metadata.offset)
  }
  stop(): void {}
}

function record(topic: string, i: number): SourceRecord {
  const value = Buffer.alloc(SIZE, i % 251)
  value.writeUInt32BE(i, 0)
  return { topic, partition: 0, key: null, value, sourcePartition: { p: 0 }, sourceOffset: { i } }
}

describe('connectors/runtime/send-chunks', () => {
  it('splits a poll into consecutive slices, each within 90% of max.request.size', () => {
    const records = Array.from({ length: 3000 }, (_, i) => record(i % 3 === 0 ? 'a' : 'b', i))
    const partitions = records.map((_, i) => i % 2)
    const chunks = splitIntoRequests(records, partitions, 1048576)
    assert.ok(chunks.length >= 3)
    assert.deepEqual(chunks.flatMap((c) => c.records), records)
    assert.deepEqual(chunks.flatMap((c) => c.partitions), partitions)
    for (const c of chunks) assert.ok(c.records.reduce((n, r) => n + estimateRecordSize(r), 0) <= 1048576 * 0.9)
  })

  it('sends a record larger than the limit alone', () => {
    const big = { ...record('a', 0), value: Buffer.alloc(2 * 1048576) }
    const chunks = splitIntoRequests([record('a', 1), big, record('a', 2)], [0, 0, 0], 1048576)
    assert.deepEqual(chunks.map((c) => c.records.length), [1, 1, 1])
  })
})

describe('connectors/runtime: a source poll larger than message.max.bytes', () => {
  let cluster: TestCluster
  let worker: StandaloneWorker
  let temp: ReturnType<typeof makeTempDir>
  before(async () => {
    cluster = await startTestCluster()
    temp = makeTempDir()
    const plugins = builtinPlugins()
    plugins.register('test.LargePollConnector', LargePollConnector)
    worker = await startWorker(cluster, temp.dir, { plugins })
  })
  after(async () => {
    await worker?.stop()
    await cluster?.stop()
    temp?.cleanup()
  })

  it('is sent in bounded requests: every record arrives in order, the task stays RUNNING, offsets are committed', async function () {
    this.timeout(90000)
    const topic = uniqueName('large-poll')
    const admin = cluster.kafka().admin()
    await admin.connect()
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    } finally {
      await admin.disconnect()
    }
    const name = uniqueName('large-poll')
    assert.equal((await rest(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'test.LargePollConnector', topic } })).status, 201)
    const got = await consumeAll(cluster, topic, COUNT, 60000)
    assert.equal(got.length, COUNT)
    got.forEach((m, i) => {
      assert.equal(m.offset, i)
      assert.ok(m.value !== null && m.value.equals(record(topic, i).value as Buffer), `record ${i} arrived intact and in order`)
    })
    await waitFor('every record acknowledged to the task', () => (acked.get(topic)?.length ?? 0) === COUNT, { timeoutMs: 30000 })
    assert.deepEqual(acked.get(topic), Array.from({ length: COUNT }, (_, i) => i))
    await waitFor('the last record\'s offset committed', async () => {
      const body = (await rest(worker.url, 'GET', `/connectors/${name}/offsets`)).body
      return JSON.stringify(body?.offsets?.[0]?.offset) === JSON.stringify({ i: COUNT - 1 })
    }, { timeoutMs: 30000 })
    const status = (await rest(worker.url, 'GET', `/connectors/${name}/tasks/0/status`)).body
    assert.equal(status.state, 'RUNNING', status.trace)
  })
})
