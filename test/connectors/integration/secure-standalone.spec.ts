// A standalone Connect worker against a cluster that serves only SASL_SSL (SCRAM-SHA-512), set up
// with Kafka Connect's keys: top-level security settings for the worker's own clients (here its
// Kafka-topic offset store), producer.* for the source task, consumer.* for the sink task.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Kafka } from 'kafkajs'
import { startStandalone, type StandaloneWorker } from '../../../connectors/standalone'
import { kafkaOffsetStore } from '../../../connectors/storage'
import { readFixture, saslSslScramConfig, startSecureCluster, tlsFixture, USERS, type SecureCluster } from '../../helpers/secure-cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest } from '../connect-helpers'

const jaas = (user: string, password: string): string => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${password}";`

/** Kafka's client security keys for the SASL_SSL listener, optionally prefixed (producer., consumer.). */
function security(prefix: string, user: string, password: string): Record<string, string> {
  return {
    [`${prefix}security.protocol`]: 'SASL_SSL',
    [`${prefix}sasl.mechanism`]: 'SCRAM-SHA-512',
    [`${prefix}sasl.jaas.config`]: jaas(user, password),
    [`${prefix}ssl.truststore.type`]: 'PEM',
    [`${prefix}ssl.truststore.location`]: tlsFixture('ca.pem'),
  }
}

describe('connectors/integration standalone worker on a SASL_SSL (SCRAM-SHA-512) cluster', function () {
  this.timeout(60000)
  const temp = makeTempDir('godwit-connect-secure-')
  let cluster: SecureCluster
  let kafka: Kafka
  const workers: StandaloneWorker[] = []

  before(async () => {
    cluster = await startSecureCluster(saslSslScramConfig())
    kafka = cluster.kafka('SASL_SSL', { ssl: { ca: [readFixture('ca.pem')] }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: USERS.alice } })
  })
  after(async () => {
    for (const w of workers) await w.stop().catch(() => undefined)
    await cluster?.stop()
    temp.cleanup()
  })

  const baseProps = (): Record<string, string> => ({
    'bootstrap.servers': cluster.brokers('SASL_SSL').join(','),
    'listeners': 'http://127.0.0.1:0',
    'offset.flush.interval.ms': '200',
  })

  it('FileStreamSource -> topic -> FileStreamSink byte for byte; source offsets land in a Kafka-topic store on the secured cluster', async () => {
    const topic = uniqueName('secure-lines')
    const offsetsTopic = uniqueName('connect-offsets')
    const input = path.join(temp.dir, 'input.txt')
    const output = path.join(temp.dir, 'output.txt')
    const lines = Array.from({ length: 2000 }, (_, i) => (i % 97 === 0 ? '' : `${i}\tλ-${'xyz'.repeat(i % 11)}-é`))
    fs.writeFileSync(input, lines.join('\n') + '\n')
    const source = fs.readFileSync(input)

    const worker = await startStandalone({
      // Three principals, as Connect lets one have: the worker (alice), its source producer (mm2), its sink consumer (alice).
      workerProps: { ...baseProps(), ...security('', 'alice', USERS.alice), ...security('producer.', 'mm2', USERS.mm2), ...security('consumer.', 'alice', USERS.alice) },
      offsetStore: (clients) => kafkaOffsetStore({ kafka: clients.worker, topic: offsetsTopic, partitions: 1, replicationFactor: -1 }),
      connectors: [
        { name: 'file-source', 'connector.class': 'FileStreamSource', file: input, topic },
        { name: 'file-sink', 'connector.class': 'FileStreamSinkConnector', file: output, topics: topic },
      ],
    })
    workers.push(worker)
    const size = (): number => (fs.existsSync(output) ? fs.statSync(output).size : 0)
    await waitFor('the sink file to hold every line', () => size() >= source.length, { timeoutMs: 40000 })
    assert.ok(fs.readFileSync(output).equals(source), 'the copied file is byte-identical')

    // The source offset (byte position after the last line) reaches the offsets topic on the secured cluster.
    await waitFor('the final source offset in the Kafka-topic store', async () => {
      const offsets = await worker.worker.offsetStore.list('file-source')
      return offsets.length === 1 && offsets[0].offset.position === source.length
    }, { timeoutMs: 20000 })
    await worker.stop()
    workers.pop()
    const reread = kafkaOffsetStore({ kafka, topic: offsetsTopic, partitions: 1, replicationFactor: -1 })
    await reread.start()
    try {
      assert.deepEqual(await reread.list('file-source'), [{ partition: { filename: input }, offset: { position: source.length } }])
    } finally {
      await reread.stop()
    }
  })

  it('wrong producer. / consumer. passwords fail the source / sink task with an error naming the client, cluster and setting; REST keeps serving', async () => {
    const topic = uniqueName('secure-bad')
    const input = path.join(temp.dir, 'bad-input.txt')
    fs.writeFileSync(input, 'one\ntwo\n')
    const worker = await startStandalone({
      workerProps: { ...baseProps(), ...security('', 'alice', USERS.alice), ...security('producer.', 'alice', 'not-the-password'), ...security('consumer.', 'mm2', 'wrong-too') },
      connectors: [
        { name: 'bad-source', 'connector.class': 'FileStreamSource', file: input, topic },
        { name: 'bad-sink', 'connector.class': 'FileStreamSink', file: path.join(temp.dir, 'bad-output.txt'), topics: topic },
      ],
    })
    workers.push(worker)
    const failed = (name: string): Promise<{ trace: string }> => waitFor(`${name}'s task to fail`, async () => {
      const s = (await rest(worker.url, 'GET', `/connectors/${name}/status`)).body
      return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0] : undefined
    }, { timeoutMs: 30000 })
    const [source, sink] = await Promise.all([failed('bad-source'), failed('bad-sink')])
    const bootstrap = cluster.brokers('SASL_SSL').join(',')
    assert.match(source.trace, new RegExp(`^KafkaClientAuthError: The source tasks' producer could not authenticate to bootstrap.servers ${bootstrap} ` +
      `\\(producer.security.protocol=SASL_SSL, producer.sasl.mechanism=SCRAM-SHA-512, user "alice"\\): SASL SCRAM SHA512 authentication failed.*Check producer.sasl.jaas.config.`), source.trace)
    assert.match(sink.trace, new RegExp(`^KafkaClientAuthError: The sink tasks' consumer could not authenticate to bootstrap.servers ${bootstrap} ` +
      `\\(consumer.security.protocol=SASL_SSL, consumer.sasl.mechanism=SCRAM-SHA-512, user "mm2"\\): SASL SCRAM SHA512 authentication failed.*Check consumer.sasl.jaas.config.`), sink.trace)
    // The worker itself is fine: REST answers, with the cluster id its own (correct) credentials read.
    const root = await rest(worker.url, 'GET', '/')
    assert.equal(root.status, 200)
    assert.equal(typeof root.body.kafka_cluster_id, 'string')
    assert.deepEqual((await rest(worker.url, 'GET', '/connectors')).body.sort(), ['bad-sink', 'bad-source'])
  })
})
