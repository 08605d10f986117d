// Connect's sink contract: offsets are committed only for what flush() made durable; when flush()
// (preCommit) throws, the consumer is rewound to the last committed offsets so the records are
// delivered again, since a sink that buffers in put() has lost them.
import assert from 'node:assert/strict'
import { defineConfig } from '../../../config'
import { SinkConnector, SinkTask, type ConnectorProps, type SinkRecord } from '../../../connectors/api'
import { builtinPlugins } from '../../../connectors/builtin'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest, withStandaloneWorker } from '../connect-helpers'

/** Buffers in put(), writes the buffer in flush(); the first flush fails and loses the buffer. */
class BufferingSinkConnector extends SinkConnector {
  static written: string[] = []
  static failures = 0
  private props: ConnectorProps = {}
  config() { return defineConfig('BufferingSink (test)', {}) }
  start(props: ConnectorProps): void { this.props = props }
  taskClass() { return BufferingSinkTask }
  taskConfigs(): ConnectorProps[] { return [{ ...this.props }] }
  stop(): void {}
}

class BufferingSinkTask extends SinkTask {
  private buffer: string[] = []
  start(): void {}
  async put(records: SinkRecord[]): Promise<void> { for (const r of records) this.buffer.push(String(r.value)) }
  override flush(): void {
    const batch = this.buffer
    this.buffer = []
    if (batch.length > 0 && BufferingSinkConnector.failures === 0) {
      BufferingSinkConnector.failures++
      throw new Error('destination refused the batch')
    }
    BufferingSinkConnector.written.push(...batch)
  }
  stop(): void {}
}

describe('connectors/runtime: a sink task whose flush() fails', () => {
  const env = withStandaloneWorker({
    plugins: () => { const plugins = builtinPlugins(); plugins.register('test.BufferingSinkConnector', BufferingSinkConnector); return plugins },
    worker: { 'offset.flush.interval.ms': '200' },
  })

  it('is rewound to the last committed offset, so every record is written and committed', async () => {
    const topic = uniqueName('flush-fail')
    const admin = env.cluster.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    await admin.disconnect()
    const producer = env.cluster.kafka().producer()
    await producer.connect()
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`)
    await producer.send({ topic, messages: values.map((value) => ({ value })) })
    await producer.disconnect()

    const name = uniqueName('buffering')
    assert.equal((await rest(env.worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'test.BufferingSinkConnector', topics: topic } })).status, 201)
    await waitFor('offset 20 committed', async () => (await rest(env.worker.url, 'GET', `/connectors/${name}/offsets`)).body.offsets[0]?.offset.kafka_offset === 20, { timeoutMs: 20000 })
    assert.equal(BufferingSinkConnector.failures, 1)
    assert.deepEqual([...new Set(BufferingSinkConnector.written)].sort(), [...values].sort())
    assert.deepEqual(BufferingSinkConnector.written.filter((v, i, all) => all.indexOf(v) === i), values)
  })
})
