import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import type { StandaloneWorker } from '../../../connectors/standalone'
import { startStandalone } from '../../../connectors/standalone'
import { startCluster, type EmbeddedCluster } from '../../../core/server/embedded-cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest } from '../connect-helpers'

describe('connectors/runtime: the cluster goes away and comes back', () => {
  let temp: ReturnType<typeof makeTempDir>
  let cluster: EmbeddedCluster | undefined
  let worker: StandaloneWorker | undefined
  before(() => { temp = makeTempDir() })
  after(async () => {
    await worker?.stop()
    await cluster?.stop()
    temp.cleanup()
  })

  it('a source task shows it is retrying, then delivers every line once the cluster is back', async function () {
    this.timeout(90000)
    const dataDir = path.join(temp.dir, 'cluster')
    cluster = await startCluster({ dataDir, ports: [0], config: { 'group.initial.rebalance.delay.ms': '0' } })
    const port = cluster.nodes[0].port
    const topic = uniqueName('outage')
    const input = path.join(temp.dir, 'in.txt')
    const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `line-${from + i}`).join('\n') + '\n'
    fs.writeFileSync(input, lines(0, 1000))
    worker = await startStandalone({
      workerProps: { 'bootstrap.servers': `127.0.0.1:${port}`, 'offset.storage.file.filename': path.join(temp.dir, 'offsets'), 'offset.flush.interval.ms': '200', listeners: 'http://127.0.0.1:0' },
      connectors: [{ name: 'src', 'connector.class': 'FileStreamSource', file: input, topic }],
    })
    const kafka = new Kafka({ clientId: 'check', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100 } })
    const high = async () => {
      const admin = kafka.admin()
      await admin.connect()
      try { return Number((await admin.fetchTopicOffsets(topic))[0].high) } finally { await admin.disconnect() }
    }
    await waitFor('first lines', async () => (await high()) === 1000, { timeoutMs: 20000 })

    await cluster.stop()
    cluster = undefined
    fs.appendFileSync(input, lines(1000, 1000))
    const retrying = await waitFor('a visible retrying status', async () => {
      const t = (await rest(worker!.url, 'GET', '/connectors/src/tasks/0/status')).body
      return t.state === 'RUNNING' && /Retrying after a retriable error/.test(t.trace ?? '') ? t : undefined
    }, { timeoutMs: 30000 })
    assert.match(retrying.trace, /KafkaJS/)

    cluster = await startCluster({ dataDir, ports: [port], config: { 'group.initial.rebalance.delay.ms': '0' } })
    await waitFor('the status to clear', async () => (await rest(worker!.url, 'GET', '/connectors/src/tasks/0/status')).body.trace === undefined, { timeoutMs: 45000 })
    await waitFor('all lines', async () => (await high().catch(() => 0)) >= 2000, { timeoutMs: 20000 })

    const consumer = kafka.consumer({ groupId: uniqueName('check') })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    const seen = new Set<string>()
    await new Promise<void>((resolve) => { void consumer.run({ eachMessage: async ({ message }) => { seen.add(message.value!.toString()); if (seen.size === 2000) resolve() } }) })
    await consumer.disconnect()
    for (let i = 0; i < 2000; i++) assert.ok(seen.has(`line-${i}`), `line-${i} lost`)
  })
})
