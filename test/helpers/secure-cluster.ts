// The committed test certificates (test/fixtures/tls, made by its make.sh) and a cluster with one
// listener per security protocol, for the security specs.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs'
import { startCluster, type EmbeddedCluster } from '../../core/server/embedded-cluster'
import { makeTempDir } from './temp-dir'

/** Absolute path of a file in test/fixtures/tls (helpers run from dist/test/helpers). */
export function tlsFixture(name: string): string {
  return path.resolve(__dirname, '../../../test/fixtures/tls', name)
}

export const readFixture = (name: string): string => fs.readFileSync(tlsFixture(name), 'utf8')

export const USERS = { alice: 'alice-secret', mm2: 'mm2-secret' }

const users = Object.entries(USERS).map(([u, p]) => `user_${u}="${p}"`).join(' ')
export const PLAIN_JAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required ${users};`
export const SCRAM_JAAS = `org.apache.kafka.common.security.scram.ScramLoginModule required ${users};`

/** PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL listeners on one node, ephemeral ports. */
export function securityConfig(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'group.initial.rebalance.delay.ms': '0',
    'listeners': 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': tlsFixture('server-keystore.pem'),
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': SCRAM_JAAS,
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': SCRAM_JAAS,
    'listener.name.sasl_ssl.plain.sasl.jaas.config': PLAIN_JAAS,
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': SCRAM_JAAS,
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': SCRAM_JAAS,
    ...extra,
  }
}

/** One SASL_SSL listener that accepts only SCRAM-SHA-512 (the USERS), ephemeral port. */
export function saslSslScramConfig(): Record<string, string> {
  return {
    'group.initial.rebalance.delay.ms': '0',
    'listeners': 'SASL_SSL://127.0.0.1:0',
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': tlsFixture('server-keystore.pem'),
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': SCRAM_JAAS,
  }
}

export interface SecureCluster {
  cluster: EmbeddedCluster
  /** "host:port" list of a listener. */
  brokers(listener: string): string[]
  kafka(listener: string, more?: Partial<KafkaConfig>): Kafka
  stop(): Promise<void>
}

export async function startSecureCluster(config: Record<string, string> = securityConfig()): Promise<SecureCluster> {
  const temp = makeTempDir('godwit-security-')
  let cluster: EmbeddedCluster
  try {
    cluster = await startCluster({ dataDir: temp.dir, config })
  } catch (err) {
    temp.cleanup()
    throw err
  }
  const brokers = (listener: string): string[] => {
    const l = cluster.listeners.find((x) => x.name === listener)
    if (l === undefined) throw new Error(`no listener ${listener}`)
    return l.bootstrapServers
  }
  return {
    cluster,
    brokers,
    kafka: (listener, more = {}) => new Kafka({
      clientId: 'godwit-security-test', brokers: brokers(listener), logLevel: logLevel.NOTHING,
      connectionTimeout: 10000, retry: { initialRetryTime: 50, retries: 3 }, ...more,
    }),
    async stop() {
      await cluster.stop()
      temp.cleanup()
    },
  }
}

/** Produces `count` records to a new topic and reads them back; returns both for comparison. */
export async function roundTrip(kafka: Kafka, topic: string, count = 50): Promise<{ sent: string[]; got: string[] }> {
  const sent = Array.from({ length: count }, (_, i) => `${topic}-record-${i}-${'z'.repeat(i % 17)}`)
  const producer = kafka.producer({ allowAutoTopicCreation: true })
  await producer.connect()
  await producer.send({ topic, acks: -1, messages: sent.map((value, i) => ({ key: `k${i}`, value })) })
  await producer.disconnect()
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 })
  const got: string[] = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const done = new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => { got.push(message.value!.toString()); if (got.length >= count) resolve() } })
  })
  const deadline = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`only ${got.length} of ${count} records came back`)), 20000).unref())
  try {
    await Promise.race([done, deadline])
  } finally {
    await consumer.disconnect()
  }
  return { sent, got }
}
