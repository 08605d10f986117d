// mm2.properties client settings (Kafka's names) → a kafkajs client configuration.
import * as fs from 'node:fs'
import type { KafkaConfig, SASLOptions } from 'kafkajs'
import { logLevel } from 'kafkajs'
import { MirrorConfigError } from '../errors'

export function kafkajsConfig(props: Record<string, string>, clientId: string): KafkaConfig {
  const brokers = (props['bootstrap.servers'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (brokers.length === 0) throw new MirrorConfigError(`bootstrap.servers is missing for client ${clientId}`)
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase()
  const config: KafkaConfig = {
    brokers,
    clientId: props['client.id'] ?? clientId,
    logLevel: logLevel.NOTHING,
    requestTimeout: props['request.timeout.ms'] !== undefined ? Number(props['request.timeout.ms']) : 30000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const read = (file: string | undefined): string | undefined => (file === undefined || file === '' ? undefined : fs.readFileSync(file, 'utf8'))
    const ca = props['ssl.truststore.certificates'] ?? read(props['ssl.truststore.location'])
    const cert = props['ssl.keystore.certificate.chain'] ?? read(props['ssl.keystore.location'])
    const key = props['ssl.keystore.key'] ?? (props['ssl.keystore.location'] !== undefined ? cert : undefined)
    config.ssl = {
      ...(ca !== undefined ? { ca: [ca] } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key, passphrase: props['ssl.key.password'] } : {}),
      ...(props['ssl.endpoint.identification.algorithm'] === '' ? { checkServerIdentity: () => undefined } : {}),
    }
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') config.sasl = saslOptions(props)
  return config
}

function saslOptions(props: Record<string, string>): SASLOptions {
  const mechanism = (props['sasl.mechanism'] ?? 'GSSAPI').toUpperCase()
  const jaas = props['sasl.jaas.config'] ?? ''
  const field = (name: string): string => new RegExp(`${name}\\s*=\\s*"([^"]*)"`).exec(jaas)?.[1] ?? ''
  const username = field('username')
  const password = field('password')
  switch (mechanism) {
    case 'PLAIN': return { mechanism: 'plain', username, password }
    case 'SCRAM-SHA-256': return { mechanism: 'scram-sha-256', username, password }
    case 'SCRAM-SHA-512': return { mechanism: 'scram-sha-512', username, password }
    default: throw new MirrorConfigError(`sasl.mechanism ${mechanism} is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`)
  }
}

/** Client overrides from `consumer.*` / `producer.*` settings that kafkajs understands. */
export function consumerOptions(props: Record<string, string>): { maxBytes?: number; maxBytesPerPartition?: number; maxWaitTimeInMs?: number; sessionTimeout?: number } {
  const n = (k: string): number | undefined => (props[k] === undefined ? undefined : Number(props[k]))
  return {
    maxBytes: n('consumer.fetch.max.bytes'),
    maxBytesPerPartition: n('consumer.max.partition.fetch.bytes'),
    maxWaitTimeInMs: n('consumer.fetch.max.wait.ms'),
    sessionTimeout: n('consumer.session.timeout.ms'),
  }
}
