// Worker configuration with Kafka Connect's property names and defaults. Kafka client settings
// (security.protocol, ssl.*, sasl.*, and the producer./consumer./admin. prefixed keys) are not
// validated here: worker-clients.ts turns them into the worker's kafkajs clients.
import { atLeast, createLogger, defineConfig, type ConfigOf, type RawConfig } from '../../config'

export const WorkerConfigDef = defineConfig('Connect worker', {
  'bootstrap.servers': { type: 'list', default: ['localhost:9092'], doc: 'Kafka brokers (host:port) the worker produces to and consumes from.', importance: 'high' },
  'client.id': { type: 'string', default: 'godwit-connect', doc: 'Prefix of the kafkajs client ids the worker uses.' },
  'offset.storage.file.filename': { type: 'string', default: '', doc: 'Standalone mode: file that stores source connector offsets.', importance: 'high' },
  'config.storage.file.filename': { type: 'string', default: '', doc: 'Standalone mode (Godwit extension): file that keeps connector configs and target states, so connectors created over REST survive a restart. Empty keeps them in memory, as Connect does.' },
  'offset.flush.interval.ms': { type: 'long', default: 60000, validate: atLeast(1), doc: 'How often tasks commit offsets (source offsets to the store, sink offsets to the consumer group).' },
  'offset.flush.timeout.ms': { type: 'long', default: 5000, validate: atLeast(1), doc: 'Accepted for compatibility: a source offset commit waits until every outstanding record is acknowledged (bounded on stop by task.shutdown.graceful.timeout.ms).' },
  'task.shutdown.graceful.timeout.ms': { type: 'long', default: 5000, validate: atLeast(0), doc: 'How long to wait for a task to stop gracefully (final commit included) before abandoning it.' },
  'listeners': { type: 'list', default: [], doc: 'REST listeners, e.g. http://localhost:8083 (overrides rest.host.name/rest.port).', importance: 'high' },
  'rest.host.name': { type: 'string', default: '', doc: 'Deprecated: host the REST server binds (all interfaces when empty).' },
  'rest.port': { type: 'int', default: 8083, validate: atLeast(0), doc: 'Deprecated: port of the REST server when listeners is empty (0 = any free port).' },
  'rest.advertised.host.name': { type: 'string', default: '', doc: 'Host name this worker reports as its worker_id.' },
  'plugin.path': { type: 'list', default: [], doc: 'JavaScript modules to require() at start-up (relative to the working directory); each exports registerPlugins(registry) to add connector classes. Java plugin locations (.jar, .zip, directories without index.js) are skipped with an info log.' },
  'offset.storage.topic': { type: 'string', default: 'connect-offsets', doc: 'Kafka-backed offset store: topic name (compacted, created if missing).' },
  'offset.storage.partitions': { type: 'int', default: 25, validate: atLeast(1), doc: 'Partitions of the offset topic when created.' },
  'offset.storage.replication.factor': { type: 'int', default: 3, doc: 'Replication factor of the offset topic when created (-1 = broker default).' },
  'config.storage.topic': { type: 'string', default: 'connect-configs', doc: 'Kafka-backed config store: topic name (one partition, compacted).' },
  'config.storage.replication.factor': { type: 'int', default: 3, doc: 'Replication factor of the config topic when created (-1 = broker default).' },
  'status.storage.topic': { type: 'string', default: 'connect-status', doc: 'Kafka-backed status store: topic name (compacted).' },
  'status.storage.partitions': { type: 'int', default: 5, validate: atLeast(1), doc: 'Partitions of the status topic when created.' },
  'status.storage.replication.factor': { type: 'int', default: 3, doc: 'Replication factor of the status topic when created (-1 = broker default).' },
  'key.converter': { type: 'class', default: 'org.apache.kafka.connect.converters.ByteArrayConverter', doc: 'Accepted for compatibility: Godwit passes keys through as bytes.' },
  'value.converter': { type: 'class', default: 'org.apache.kafka.connect.converters.ByteArrayConverter', doc: 'Accepted for compatibility: Godwit passes values through as bytes.' },
  'key.converter.schemas.enable': { type: 'boolean', default: false, doc: 'Accepted for compatibility; ignored.' },
  'value.converter.schemas.enable': { type: 'boolean', default: false, doc: 'Accepted for compatibility; ignored.' },
  'producer.max.request.size': { type: 'int', default: 1048576, validate: atLeast(1024), doc: 'Largest produce request a source task sends, in bytes (Kafka producer\'s max.request.size): a poll\'s records are split into sends that stay under it, so a large poll never exceeds the broker\'s message.max.bytes.' },
  'metrics.sample.window.ms': { type: 'long', default: 30000, doc: 'Accepted for compatibility; Prometheus metrics are cumulative.' },
})

export type WorkerConfig = ConfigOf<typeof WorkerConfigDef>

const CLIENT_PREFIXES = ['producer.', 'consumer.', 'admin.', 'listeners.https.', 'ssl.', 'sasl.', 'security.']

/** Parses a worker configuration; client overrides and transport-security keys are kept aside. */
export function parseWorkerConfig(raw: Record<string, string>): { config: WorkerConfig; overrides: Record<string, string> } {
  const own: RawConfig = {}
  const overrides: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (k in WorkerConfigDef.keys) own[k] = v
    else if (CLIENT_PREFIXES.some((p) => k.startsWith(p)) || k.startsWith('group.') || k.startsWith('redis.')) overrides[k] = v
    else own[k] = v
  }
  // Connect logs unknown worker keys and goes on (real files carry many: internal.*, topic.creation.*,
  // access.control.*); a warning with a did-you-mean keeps typos visible.
  const unknown = WorkerConfigDef.validate(own).filter((r) => !(r.name in WorkerConfigDef.keys))
  if (unknown.length > 0) {
    createLogger('connect-worker-config').warn({ keys: unknown.map((u) => `${u.name}: ${u.errors.join('; ')}`) }, 'Ignoring worker configuration keys Godwit does not use')
  }
  return { config: WorkerConfigDef.parse(own, { allowUnknown: true }), overrides }
}
