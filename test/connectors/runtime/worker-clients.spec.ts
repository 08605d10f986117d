// Which Kafka client settings each of the worker's clients takes, by Kafka Connect's rules: the
// tasks' producer and consumer take the worker's bootstrap.servers and their own prefixed keys only;
// the connectors' admin client takes every top-level key with admin.* over it.
import assert from 'node:assert/strict'
import { KafkaClientConfigError } from '../../../connectors/errors'
import { workerClientProps, workerClients } from '../../../connectors/runtime/worker-clients'
import { parseWorkerConfig } from '../../../connectors/runtime/worker-config'

const jaas = (user: string): string => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${user}-secret";`

describe('connectors/runtime worker-clients (Connect\'s client settings per role)', () => {
  it('top-level security settings reach the worker\'s and the admin client, not the tasks\' producer and consumer', () => {
    const raw = {
      'bootstrap.servers': 'k1:9093,k2:9093', 'client.id': 'w1',
      'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': jaas('worker'),
      'producer.security.protocol': 'SSL', 'producer.ssl.truststore.location': '/ca.pem',
      'consumer.bootstrap.servers': 'other:9092',
      'admin.sasl.jaas.config': jaas('admin'),
    }
    const p = workerClientProps(raw, parseWorkerConfig(raw).config)
    assert.deepEqual(p.producer, { 'bootstrap.servers': 'k1:9093,k2:9093', 'client.id': 'w1-producer', 'security.protocol': 'SSL', 'ssl.truststore.location': '/ca.pem' })
    assert.deepEqual(p.consumer, { 'bootstrap.servers': 'other:9092', 'client.id': 'w1-consumer' })
    assert.equal(p.worker['security.protocol'], 'SASL_SSL')
    assert.equal(p.worker['sasl.jaas.config'], jaas('worker'))
    assert.equal(p.worker['producer.security.protocol'], undefined, 'prefixed keys stay with their client')
    assert.equal(p.admin['security.protocol'], 'SASL_SSL', 'admin inherits the top level')
    assert.equal(p.admin['sasl.jaas.config'], jaas('admin'), 'admin.* wins over the top level')
    assert.equal(p.admin['client.id'], 'w1-admin')
  })

  it('the kafkajs clients get TLS and SASL per role; the default bootstrap.servers is Connect\'s localhost:9092', () => {
    const raw = { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas('w'), 'consumer.security.protocol': 'SASL_PLAINTEXT', 'consumer.sasl.mechanism': 'SCRAM-SHA-256', 'consumer.sasl.jaas.config': jaas('c') }
    const c = workerClients(raw, parseWorkerConfig(raw).config, { retries: 0 })
    assert.equal(c.props.producer['bootstrap.servers'], 'localhost:9092')
    assert.equal(c.props.producer['security.protocol'], undefined, 'PLAINTEXT: the producer has no security settings of its own')
    assert.equal(c.props.consumer['sasl.mechanism'], 'SCRAM-SHA-256')
  })

  it('a bad setting of a prefixed client names the key the user wrote', () => {
    const raw = { 'producer.security.protocol': 'SSL', 'producer.ssl.truststore.location': '/nonexistent/ca.pem' }
    assert.throws(() => workerClients(raw, parseWorkerConfig(raw).config, { retries: 0 }),
      (e: unknown) => e instanceof KafkaClientConfigError && /^producer\.ssl\.truststore\.location \/nonexistent\/ca\.pem cannot be read/.test(e.message))
    const top = { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }
    assert.throws(() => workerClients(top, parseWorkerConfig(top).config, { retries: 0 }), (e: unknown) => e instanceof KafkaClientConfigError && /^sasl\.mechanism GSSAPI is not supported/.test(e.message))
  })
})
