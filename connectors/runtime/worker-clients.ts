// The worker's kafkajs clients, with Kafka Connect's rules for which settings each one takes:
// - the worker's own clients (Kafka-topic stores, cluster id): the top-level settings;
// - source tasks' producers (and the dead-letter-queue producer): the worker's bootstrap.servers,
//   then every producer.* key with the prefix stripped. Top-level security settings are NOT
//   inherited: a secured cluster needs producer.security.protocol, producer.ssl.*, producer.sasl.*;
// - sink tasks' consumers: likewise with consumer.*;
// - connector admin clients (topic creation, dead-letter-queue topic, sink offsets): every
//   top-level key (Connect keeps this for compatibility), then admin.* over it.
import { Kafka, type RetryOptions } from 'kafkajs'
import { KafkaClientAuthError } from '../errors'
import { kafkajsConfig } from '../kafka/kafkajs-config'
import type { WorkerConfig } from './worker-config'

export type ClientRole = 'worker' | 'producer' | 'consumer' | 'admin'

const ROLE_PREFIXES = ['producer.', 'consumer.', 'admin.']

/** Few client-level retries: task loops retry retriable failures themselves, with backoff and a visible status. */
export const WORKER_CLIENT_RETRY: RetryOptions = { retries: 3, initialRetryTime: 200 }

export interface WorkerClients {
  worker: Kafka
  producer: Kafka
  consumer: Kafka
  admin: Kafka
  /** The Kafka client settings (Kafka's names, prefix stripped) each client was built from. */
  props: Record<ClientRole, Record<string, string>>
}

/** Each client's settings, resolved from the raw worker properties as Connect resolves them. */
export function workerClientProps(raw: Record<string, string>, config: WorkerConfig): Record<ClientRole, Record<string, string>> {
  const bootstrap = config['bootstrap.servers'].join(',')
  const clientId = config['client.id']
  const topLevel: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (!ROLE_PREFIXES.some((p) => k.startsWith(p))) topLevel[k] = v
  const prefixed = (prefix: string): Record<string, string> => {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(raw)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
    return out
  }
  return {
    worker: { ...topLevel, 'bootstrap.servers': bootstrap, 'client.id': clientId },
    producer: { 'bootstrap.servers': bootstrap, 'client.id': `${clientId}-producer`, ...prefixed('producer.') },
    consumer: { 'bootstrap.servers': bootstrap, 'client.id': `${clientId}-consumer`, ...prefixed('consumer.') },
    admin: { ...topLevel, 'bootstrap.servers': bootstrap, 'client.id': `${clientId}-admin`, ...prefixed('admin.') },
  }
}

/**
 * Builds the four kafkajs clients. Bad settings (an unreadable truststore, an unsupported SASL
 * mechanism) throw KafkaClientConfigError naming the prefixed key, before anything starts.
 */
export function workerClients(raw: Record<string, string>, config: WorkerConfig, retry: RetryOptions): WorkerClients {
  const props = workerClientProps(raw, config)
  const build = (role: ClientRole): Kafka => {
    try {
      return new Kafka({ ...kafkajsConfig(props[role], props[role]['client.id']), retry })
    } catch (err) {
      // The mapping names the unprefixed key; the user wrote the prefixed one.
      const key = err instanceof Error ? /^[a-z]+\.[a-z.]+/.exec(err.message)?.[0] : undefined
      if (key !== undefined) (err as Error).message = settingName(props, role, key) + (err as Error).message.slice(key.length)
      throw err
    }
  }
  return { worker: build('worker'), producer: build('producer'), consumer: build('consumer'), admin: build('admin'), props }
}

/** One kafkajs client for every role (tests, or callers that built their own). */
export function sharedClients(kafka: Kafka): WorkerClients {
  return { worker: kafka, producer: kafka, consumer: kafka, admin: kafka, props: { worker: {}, producer: {}, consumer: {}, admin: {} } }
}

function roleName(role: ClientRole): string {
  return { worker: 'worker', producer: 'source tasks\' producer', consumer: 'sink tasks\' consumer', admin: 'connectors\' admin client' }[role]
}

const AUTH_FAILURES = new Set(['KafkaJSSASLAuthenticationError'])

/**
 * A SASL authentication failure (not retriable) as an error that names the client, its cluster and
 * the settings to check; other errors pass through unchanged.
 */
export function describeClientFailure(err: unknown, clients: WorkerClients, role: ClientRole): unknown {
  // kafkajs may wrap the failure (KafkaJSNonRetriableError's originalError, or cause).
  let cause = err as { name?: unknown; cause?: unknown; originalError?: unknown } | null | undefined
  for (let depth = 0; depth < 4 && cause != null && !(typeof cause.name === 'string' && AUTH_FAILURES.has(cause.name)); depth++) {
    cause = (cause.originalError ?? cause.cause) as typeof cause
  }
  if (cause == null || typeof cause.name !== 'string' || !AUTH_FAILURES.has(cause.name)) return err
  const p = clients.props[role]
  const key = (k: string): string => settingName(clients.props, role, k)
  const user = /username\s*=\s*"([^"]*)"/.exec(p['sasl.jaas.config'] ?? '')?.[1]
  return new KafkaClientAuthError(
    `The ${roleName(role)} could not authenticate to bootstrap.servers ${p['bootstrap.servers'] ?? '(unknown)'} ` +
    `(${key('security.protocol')}=${p['security.protocol'] ?? 'PLAINTEXT'}, ${key('sasl.mechanism')}=${p['sasl.mechanism'] ?? 'GSSAPI'}${user === undefined ? '' : `, user "${user}"`}): ` +
    `${(cause as Error).message}. Check ${key('sasl.jaas.config')}.`, { cause: err })
}

/** The key the user wrote for a client's setting: top-level for the worker (and for admin keys not set with admin.*), else prefixed. */
function settingName(props: Record<ClientRole, Record<string, string>>, role: ClientRole, key: string): string {
  if (role === 'worker') return key
  if (role === 'admin' && props.admin[key] === props.worker[key]) return key
  return `${role}.${key}`
}
