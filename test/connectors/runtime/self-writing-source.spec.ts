// SelfWritingSourceTask (a Godwit extension): a source task that produces to Kafka itself. The
// worker hands it the producer settings it would use (Connect's producer.* rules), drives
// pollAndWrite(), commits the offsets the task reports acknowledged, and on stop waits for the
// task's writes before its last commit, so a restarted task resumes exactly where Kafka is.
import assert from 'node:assert/strict'
import { Kafka, type Producer } from 'kafkajs'
import { defineConfig } from '../../../config'
import {
  SourceConnector, SourceTask, type ConnectorProps, type SelfWritingSourceTask, type SourceRecord, type SourceWriteListener,
} from '../../../connectors/api'
import { builtinPlugins } from '../../../connectors/builtin'
import { kafkajsConfig } from '../../../connectors/kafka/kafkajs-config'
import type { StandaloneWorker } from '../../../connectors/standalone'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest, startWorker } from '../connect-helpers'

const Def = defineConfig('SelfWritingSource (test)', {
  'topic': { type: 'string', required: true, doc: 'where the task writes' },
  'count': { type: 'int', required: true, doc: 'records to write in all' },
  'step': { type: 'int', default: 100, doc: 'records per pollAndWrite()' },
  'pause.ms': { type: 'int', default: 0, doc: 'wait before each pollAndWrite(), to keep a stream going' },
  'stuck': { type: 'boolean', default: false, doc: 'pollAndWrite() waits until wakeup(), as a task whose target is down' },
})

/** What each task (by topic) saw: the producer settings offered, where it resumed, and its calls in order. */
const seen = new Map<string, { producerProps: Record<string, string>[]; resumedAt: number[]; calls: string[] }>()
const of = (topic: string) => {
  let s = seen.get(topic)
  if (s === undefined) seen.set(topic, (s = { producerProps: [], resumedAt: [], calls: [] }))
  return s
}

class SelfWritingConnector extends SourceConnector {
  private props: ConnectorProps = {}
  config() { return Def }
  start(props: ConnectorProps): void { this.props = props }
  taskClass() { return SelfWritingTask }
  taskConfigs(): ConnectorProps[] { return [{ ...this.props }] }
  stop(): void {}
}

/** Writes "0".."count-1" to partition 0 of `topic` with its own kafkajs producer, one send in flight. */
class SelfWritingTask extends SourceTask implements SelfWritingSourceTask {
  private cfg!: ReturnType<typeof Def.parse>
  private producer: Producer | undefined
  private acks: SourceWriteListener | undefined
  private next = 0
  private writes: Promise<void> = Promise.resolve()
  private woken: (() => void) | undefined

  writeItself(producerProps: Record<string, string>, acks: SourceWriteListener): boolean {
    const cfg = Def.parse(this.context.config, { allowUnknown: true })
    of(cfg.topic).producerProps.push(producerProps)
    this.producer = new Kafka(kafkajsConfig(producerProps, 'self-writing-test')).producer({ idempotent: true, maxInFlightRequests: 1 })
    this.acks = acks
    return true
  }

  async start(props: ConnectorProps): Promise<void> {
    this.cfg = Def.parse(props, { allowUnknown: true })
    const committed = (await this.context.offsetStorageReader.offset({ p: 0 })) as { i: number } | null
    this.next = committed === null ? 0 : committed.i + 1
    of(this.cfg.topic).resumedAt.push(this.next)
    await this.producer!.connect()
  }

  poll(): Promise<SourceRecord[] | null> { throw new Error('poll() is not called for a task that writes itself') }

  async pollAndWrite(): Promise<number> {
    const { topic, count, step } = this.cfg
    if (this.cfg.stuck) { of(topic).calls.push('stuck'); await new Promise<void>((r) => { this.woken = r }); return 0 }
    if (this.next >= count) { await new Promise((r) => setTimeout(r, 20)); return 0 }
    if (this.cfg['pause.ms'] > 0) await new Promise((r) => setTimeout(r, this.cfg['pause.ms']))
    const from = this.next
    const n = Math.min(step, count - from)
    this.next += n
    await this.writes
    this.writes = this.producer!.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ partition: 0, value: String(from + j) })) })
      .then(() => this.acks!.acknowledged(n, [{ partition: { p: 0 }, offset: { i: from + n - 1 } }]))
    return n
  }

  wakeup(): void {
    of(this.cfg.topic).calls.push('wakeup')
    this.woken?.()
  }

  async flushWrites(): Promise<void> {
    of(this.cfg.topic).calls.push('flushWrites')
    await this.writes
  }

  async stop(): Promise<void> {
    of(this.cfg.topic).calls.push('stop')
    await this.producer?.disconnect()
  }
}

async function endOffset(cluster: TestCluster, topic: string): Promise<number> {
  const admin = cluster.kafka().admin()
  await admin.connect()
  try {
    return Number((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)!.high)
  } finally {
    await admin.disconnect()
  }
}

async function createTopic(cluster: TestCluster, topic: string): Promise<void> {
  const admin = cluster.kafka().admin()
  await admin.connect()
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
  } finally {
    await admin.disconnect()
  }
}

const metric = (text: string, name: string, connector: string): number | undefined => {
  const m = new RegExp(`^${name}\\{connector="${connector}",task="0"\\} (\\d+)$`, 'm').exec(text)
  return m === null ? undefined : Number(m[1])
}

describe('connectors/runtime: a source task that writes to Kafka itself', function () {
  this.timeout(60000)
  let cluster: TestCluster
  let worker: StandaloneWorker
  let temp: ReturnType<typeof makeTempDir>
  before(async () => {
    cluster = await startTestCluster()
    temp = makeTempDir()
    const plugins = builtinPlugins()
    plugins.register('test.SelfWritingConnector', SelfWritingConnector)
    // Offsets are committed only on stop (or pause) within a test's time: the stop path is what commits.
    worker = await startWorker(cluster, temp.dir, { plugins, worker: { 'offset.flush.interval.ms': '600000', 'producer.client.id': 'self-writer' } })
  })
  after(async () => {
    await worker?.stop()
    await cluster?.stop()
    temp?.cleanup()
  })

  it('gets the worker\'s producer settings, writes every record once in order, and the worker counts and commits what was acknowledged', async () => {
    const topic = uniqueName('self-write')
    await createTopic(cluster, topic)
    const name = uniqueName('self-write')
    assert.equal((await rest(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'test.SelfWritingConnector', topic, count: '3000', step: '250' } })).status, 201)
    const got = await consumeAll(cluster, topic, 3000)
    assert.deepEqual(got.map((m) => m.value?.toString()), Array.from({ length: 3000 }, (_, i) => String(i)))
    const props = of(topic).producerProps[0]
    assert.equal(props['bootstrap.servers'], cluster.brokers)
    assert.equal(props['client.id'], 'self-writer', 'producer.client.id reaches the task without its prefix')
    await waitFor('3000 records counted as written', async () => metric(await (await fetch(`${worker.url}/metrics`)).text(), 'connect_source_record_write_total', name) === 3000, { timeoutMs: 10000 })
    const text = await (await fetch(`${worker.url}/metrics`)).text()
    assert.equal(metric(text, 'connect_source_record_poll_total', name), 3000)
    assert.equal(metric(text, 'connect_source_task_writes_itself', name), 1)
    // Deleting the connector stops the task: its writes are awaited, then the offset is committed.
    assert.equal((await rest(worker.url, 'DELETE', `/connectors/${name}`)).status, 204)
    await waitFor('the task stopped', () => of(topic).calls.includes('stop'), { timeoutMs: 20000 })
    assert.deepEqual(of(topic).calls.slice(-2), ['flushWrites', 'stop'])
    assert.equal(await endOffset(cluster, topic), 3000)
  })

  it('restarted mid-stream, resumes after the last record Kafka acknowledged: nothing lost, nothing twice', async () => {
    const topic = uniqueName('self-write-restart')
    await createTopic(cluster, topic)
    const name = uniqueName('self-write-restart')
    const total = 10000
    const config = { 'connector.class': 'test.SelfWritingConnector', topic, count: String(total), step: '50', 'pause.ms': '10' }
    assert.equal((await rest(worker.url, 'POST', '/connectors', { name, config })).status, 201)
    await waitFor('the stream under way', async () => (await endOffset(cluster, topic)) >= 500, { timeoutMs: 20000 })
    assert.equal((await rest(worker.url, 'POST', `/connectors/${name}/tasks/0/restart`)).status, 204)
    await waitFor('the task restarted', () => of(topic).resumedAt.length === 2, { timeoutMs: 20000 })
    const resumedAt = of(topic).resumedAt[1]
    assert.ok(resumedAt > 0 && resumedAt < total, `resumed mid-stream (at ${resumedAt})`)
    const got = await consumeAll(cluster, topic, total)
    assert.deepEqual(got.map((m) => m.value?.toString()), Array.from({ length: total }, (_, i) => String(i)))
    assert.equal(await endOffset(cluster, topic), total, 'nothing written twice')
    assert.equal(await rest(worker.url, 'DELETE', `/connectors/${name}`).then((r) => r.status), 204)
  })

  it('on stop, wakes a task stuck in pollAndWrite() and stops it gracefully (flushWrites, commit, stop) instead of abandoning it', async () => {
    const topic = uniqueName('self-write-stuck')
    await createTopic(cluster, topic)
    const name = uniqueName('self-write-stuck')
    assert.equal((await rest(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'test.SelfWritingConnector', topic, count: '10', stuck: 'true' } })).status, 201)
    await waitFor('the task stuck in pollAndWrite()', () => of(topic).calls.includes('stuck'), { timeoutMs: 20000 })
    const started = Date.now()
    assert.equal((await rest(worker.url, 'DELETE', `/connectors/${name}`)).status, 204)
    // Abandoned after task.shutdown.graceful.timeout.ms (5 s) it would never reach stop().
    await waitFor('the task stopped', () => of(topic).calls.includes('stop'), { timeoutMs: 3000 })
    assert.ok(Date.now() - started < 3000)
    assert.deepEqual(of(topic).calls, ['stuck', 'wakeup', 'flushWrites', 'stop'])
  })
})
