// The broker's configuration: Kafka's server.properties names and defaults wherever they exist,
// plus a few godwit.* keys for running several logical brokers in one process.
import { atLeast, between, defineConfig, eachOneOf, oneOf, type ConfigOf, type RawConfig } from '../../config'
import { GroupCoordinatorConfigDef } from '../group/config'
import { parseListener } from './listeners'
import { AclConfigDef } from './acls/acl-config'
import { SecurityConfigDef } from './security/security-config'

/** Every URL must be NAME://host:port (the name's protocol is checked at start-up). */
function listenerUrls(urls: string[]): string | undefined {
  for (const u of urls) {
    try { parseListener(u) } catch (e) { return (e as Error).message }
  }
  return undefined
}

const BrokerKeys = defineConfig('Broker (godwit broker)', {
  'node.id': { type: 'int', default: null, validate: atLeast(0), importance: 'high',
    doc: 'Id of the first logical broker in this process; the others take the following ids. Defaults to broker.id, else 0.' },
  'broker.id': { type: 'int', default: null, validate: atLeast(0), importance: 'low',
    doc: 'Older name of node.id, accepted for existing server.properties files.' },
  'godwit.nodes': { type: 'int', default: 1, validate: between(1, 64), importance: 'high',
    doc: 'Number of logical brokers this process serves, each with its own listener; partition leaders are spread across them.' },
  'listeners': { type: 'list', default: ['PLAINTEXT://127.0.0.1:9092'], validate: listenerUrls, importance: 'high',
    doc: 'Listener URLs (NAME://host:port, NAME mapped to PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL by listener.security.protocol.map). Per listener name: one URL per logical broker, or one whose port is used by node 0 and incremented for the next nodes (port 0 = ephemeral for all).' },
  'advertised.listeners': { type: 'list', default: null, validate: listenerUrls, importance: 'high',
    doc: 'Listener URLs given to clients in metadata, one per logical broker (or one, ports incremented). Defaults to the bound listeners.' },
  'log.dirs': { type: 'list', default: null, importance: 'high',
    doc: 'Directory where the log data is kept (Godwit uses the first). Overrides log.dir.' },
  'log.dir': { type: 'string', default: '/tmp/godwit-logs', importance: 'high',
    doc: 'Directory where the log data is kept, used when log.dirs is not set.' },
  'num.partitions': { type: 'int', default: 1, validate: atLeast(1), importance: 'medium',
    doc: 'Default number of partitions for auto-created topics and CreateTopics requests that ask for -1.' },
  'default.replication.factor': { type: 'int', default: 1, validate: atLeast(1), importance: 'medium',
    doc: 'Replication factor reported for created topics. Godwit keeps one copy, so only 1 up to the number of logical brokers is accepted.' },
  'auto.create.topics.enable': { type: 'boolean', default: true, importance: 'high',
    doc: 'Create a topic when a Metadata request names an unknown topic and allows auto-creation.' },
  'delete.topic.enable': { type: 'boolean', default: true, importance: 'high',
    doc: 'Allow DeleteTopics; when false it answers TOPIC_DELETION_DISABLED.' },
  'socket.request.max.bytes': { type: 'int', default: 104857600, validate: atLeast(64), importance: 'high',
    doc: 'Largest request frame accepted; a bigger frame closes that connection.' },
  'connections.max.idle.ms': { type: 'long', default: 600000, validate: atLeast(-1), importance: 'medium',
    doc: 'Close connections on which nothing was read or written for this long (-1 = never). A connection that still owes a response (a long-polling fetch, a waiting JoinGroup) is not idle.' },
  'message.max.bytes': { type: 'int', default: 1048588, validate: atLeast(0), importance: 'high',
    doc: 'Largest record batch accepted (after compression); default for the topic config max.message.bytes.' },
  'log.segment.bytes': { type: 'int', default: 1073741824, validate: atLeast(14), importance: 'high',
    doc: 'Size of a single log segment file; default for the topic config segment.bytes.' },
  'log.retention.ms': { type: 'long', default: null, importance: 'high',
    doc: 'How long to keep a segment before deleting it (-1 = forever); default for retention.ms. Overrides log.retention.hours.' },
  'log.retention.hours': { type: 'int', default: 168, importance: 'high',
    doc: 'Retention in hours, used when log.retention.ms is not set.' },
  'log.retention.bytes': { type: 'long', default: -1, importance: 'high',
    doc: 'Largest size of a partition before old segments are deleted (-1 = no limit); default for retention.bytes.' },
  'log.cleanup.policy': { type: 'list', default: ['delete'], validate: eachOneOf('delete', 'compact'), importance: 'medium',
    doc: 'delete and/or compact; default for the topic config cleanup.policy.' },
  'log.flush.interval.messages': { type: 'long', default: null, validate: atLeast(1), importance: 'high',
    doc: 'fsync after this many messages; default for flush.messages (unset = the topic default, which in Godwit fsyncs every append before acknowledging it).' },
  'log.flush.interval.ms': { type: 'long', default: null, validate: atLeast(0), importance: 'high',
    doc: 'fsync at least this often when flush.messages > 1; default for flush.ms (unset = the topic default).' },
  'log.message.timestamp.type': { type: 'string', default: 'CreateTime', validate: oneOf('CreateTime', 'LogAppendTime'), importance: 'medium',
    doc: 'CreateTime keeps the producer timestamp; LogAppendTime stamps batches on append. Default for message.timestamp.type.' },
  'offsets.topic.num.partitions': { type: 'int', default: 5, validate: between(1, 1000), importance: 'high',
    doc: 'Partitions of __consumer_offsets. Kafka uses 50; Godwit defaults to 5 because every partition is a set of open files in one process and a handful already spread the groups of a single-process cluster.' },
  'godwit.cluster.id': { type: 'string', default: null, importance: 'low',
    doc: 'Cluster id reported in metadata; by default one is generated on first start and kept in meta.properties.' },
})

/**
 * The broker's keys plus the group coordinator's (group.*, offsets.retention.*) and the security
 * keys (ssl.*, sasl.*, listener.security.protocol.map), as in Kafka's server.properties.
 * Per-listener `listener.name.*` keys are not in this def: see security/security-config.ts.
 */
export const BrokerConfigDef = BrokerKeys.extend('Broker (godwit broker)', GroupCoordinatorConfigDef.keys)
  .extend('Broker (godwit broker)', AclConfigDef.keys)
  .extend('Broker (godwit broker)', SecurityConfigDef.keys)

export type BrokerConfig = ConfigOf<typeof BrokerConfigDef>

/** Parses raw broker properties; throws one ConfigError listing every bad key. */
export function parseBrokerConfig(raw: RawConfig): BrokerConfig {
  return BrokerConfigDef.parse(raw)
}

export function firstNodeId(c: BrokerConfig): number {
  return c['node.id'] ?? c['broker.id'] ?? 0
}

export function dataDirOf(c: BrokerConfig): string {
  return c['log.dirs']?.[0] ?? c['log.dir']
}

/**
 * Topic-config defaults (by topic config name) from the broker keys that differ from their own
 * defaults, so DescribeConfigs can tell a server.properties setting (STATIC_BROKER_CONFIG) from a
 * built-in default (DEFAULT_CONFIG), as Kafka does. Kafka's broker and topic defaults agree.
 */
export function topicDefaults(c: BrokerConfig): Record<string, string> {
  const d = BrokerConfigDef.defaults()
  const out: Record<string, string> = {}
  const set = (topicKey: string, brokerKey: keyof BrokerConfig, value: string): void => {
    if (String(c[brokerKey]) !== String(d[brokerKey])) out[topicKey] = value
  }
  set('max.message.bytes', 'message.max.bytes', String(c['message.max.bytes']))
  set('segment.bytes', 'log.segment.bytes', String(c['log.segment.bytes']))
  if (c['log.retention.ms'] !== undefined) out['retention.ms'] = String(c['log.retention.ms'])
  else set('retention.ms', 'log.retention.hours', String(c['log.retention.hours'] * 3600_000))
  set('retention.bytes', 'log.retention.bytes', String(c['log.retention.bytes']))
  set('cleanup.policy', 'log.cleanup.policy', c['log.cleanup.policy'].join(','))
  set('message.timestamp.type', 'log.message.timestamp.type', c['log.message.timestamp.type'])
  if (c['log.flush.interval.messages'] !== undefined) out['flush.messages'] = String(c['log.flush.interval.messages'])
  if (c['log.flush.interval.ms'] !== undefined) out['flush.ms'] = String(c['log.flush.interval.ms'])
  return out
}

/** Which broker key supplies each topic config's default (for DescribeConfigs synonyms). */
export const TOPIC_TO_BROKER_KEY: Record<string, string> = {
  'max.message.bytes': 'message.max.bytes',
  'segment.bytes': 'log.segment.bytes',
  'retention.ms': 'log.retention.ms',
  'retention.bytes': 'log.retention.bytes',
  'cleanup.policy': 'log.cleanup.policy',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'message.timestamp.type': 'log.message.timestamp.type',
}
