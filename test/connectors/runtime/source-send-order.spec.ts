// A batch that fails with a retriable error is resent before anything polled after it is sent, as
// Connect keeps the unsent records and sends them before polling again: records of a partition
// land in the order the task returned them, even across a retried send.
import assert from 'node:assert/strict'
import { defineConfig } from '../../../config'
import { SourceConnector, SourceTask, type ConnectorProps, type SourceRecord } from '../../../connectors/api'
import { builtinPlugins } from '../../../connectors/builtin'
import type { StandaloneWorker } from '../../../connectors/standalone'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest, startWorker } from '../connect-helpers'

const Def = defineConfig('OrderedSource (test)', {
  'topic': { type: 'string', required: true, doc: 'topic of every record' },
  'missing.topic': { type: 'string', required: true, doc: 'topic that does not exist yet (first batch only)' },
})

class OrderedSourceConnector extends SourceConnector {
  private props: ConnectorProps = {}
  config() { return Def }
  start(props: ConnectorProps): void { this.props = props }
  taskClass() { return OrderedSourceTask }
  taskConfigs(): ConnectorProps[] { return [{ ...this.props }] }
  stop(): void {}
}

/** Three one-record batches for `topic` partition 0; the first also writes to a topic that is missing. */
class OrderedSourceTask extends SourceTask {
  private batches: SourceRecord[][] = []
  start(props: ConnectorProps): void {
    const c = Def.parse(props, { allowUnknown: true })
    const rec = (topic: string, value: string): SourceRecord => ({ topic, partition: 0, key: null, value: Buffer.from(value), sourcePartition: { p: 0 }, sourceOffset: { v: value } })
    this.batches = [[rec(c.topic, 'first'), rec(c['missing.topic'], 'elsewhere')], [rec(c.topic, 'second')], [rec(c.topic, 'third')]]
  }
  async poll(): Promise<SourceRecord[] | null> {
    const next = this.batches.shift()
    if (next === undefined) await new Promise((r) => setTimeout(r, 50))
    return next ?? null
  }
  stop(): void {}
}

describe('connectors/runtime: source sends retried after a retriable failure', () => {
  let cluster: TestCluster
  let worker: StandaloneWorker
  let temp: ReturnType<typeof makeTempDir>
  before(async () => {
    cluster = await startTestCluster({ config: { 'auto.create.topics.enable': 'false' } })
    temp = makeTempDir()
    const plugins = builtinPlugins()
    plugins.register('test.OrderedSourceConnector', OrderedSourceConnector)
    worker = await startWorker(cluster, temp.dir, { plugins })
  })
  after(async () => {
    await worker?.stop()
    await cluster?.stop()
    temp?.cleanup()
  })

  it('keep a partition\'s records in the order the task returned them', async function () {
    this.timeout(90000)
    const topic = uniqueName('ordered')
    const missing = uniqueName('late')
    const admin = cluster.kafka().admin()
    await admin.connect()
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
      const name = uniqueName('ordered')
      assert.equal((await rest(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'test.OrderedSourceConnector', topic, 'missing.topic': missing } })).status, 201)
      await waitFor('the first send to fail and be retried', async () => /Retrying after a retriable error/.test((await rest(worker.url, 'GET', `/connectors/${name}/tasks/0/status`)).body.trace ?? ''), { timeoutMs: 60000 })
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: missing, numPartitions: 1 }] })
      const got = await consumeAll(cluster, topic, 3, 60000)
      assert.deepEqual(got.map((m) => m.value?.toString()), ['first', 'second', 'third'])
    } finally {
      await admin.disconnect()
    }
  })
})
