// Every MirrorMaker 2 connector property, with MM2's name and default (MirrorConnectorConfig,
// MirrorSourceConfig, MirrorCheckpointConfig, MirrorHeartbeatConfig). One def serves all three
// connectors, as an mm2.properties file sets them all in one place.
import { atLeast, defineConfig, oneOf, regexList, type ConfigOf, type Validator } from '../../config'
import { isKnownPolicyClass } from '../policy/create-policy'

const seconds = atLeast(-1) // MM2 accepts -1 for "disabled" on interval keys
const knownPolicy: Validator<string> = (v) =>
  isKnownPolicyClass(v) ? undefined : `unknown replication policy "${v}"; use org.apache.kafka.connect.mirror.DefaultReplicationPolicy or org.apache.kafka.connect.mirror.IdentityReplicationPolicy`
const replicationFactor = (v: number): string | undefined => (v === -1 || v >= 1 ? undefined : `must be at least 1 (or -1 for the broker default), got ${v}`)

export const DEFAULT_TOPICS_EXCLUDE = ['.*[\\-\\.]internal', '.*\\.replica', '__.*']
export const DEFAULT_GROUPS_EXCLUDE = ['console-consumer-.*', 'connect-.*', '__.*']
export const DEFAULT_CONFIG_PROPERTIES_EXCLUDE = [
  'follower\\.replication\\.throttled\\.replicas',
  'leader\\.replication\\.throttled\\.replicas',
  'message\\.timestamp\\.difference\\.max\\.ms',
  'message\\.timestamp\\.type',
  'unclean\\.leader\\.election\\.enable',
  'min\\.insync\\.replicas',
]

export const MirrorConnectorConfigDef = defineConfig('MirrorMaker 2 connectors', {
  'source.cluster.alias': { type: 'string', default: null, doc: 'Alias of the source cluster (set per flow by the mm2.properties driver).' },
  'target.cluster.alias': { type: 'string', default: 'target', doc: 'Alias of the target cluster (set per flow by the mm2.properties driver).' },
  'enabled': { type: 'boolean', default: true, doc: 'Whether to replicate source->target (in mm2.properties: `A->B.enabled`, false unless set).' },
  'tasks.max': { type: 'int', default: 1, validate: atLeast(1), doc: 'Maximum number of tasks per connector; topic partitions are spread over them.' },
  'replication.policy.class': { type: 'class', default: 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy', validate: knownPolicy, importance: 'high', doc: 'How remote topics are named: DefaultReplicationPolicy (`<source>.<topic>`) or IdentityReplicationPolicy (names unchanged).' },
  'replication.policy.separator': { type: 'string', default: '.', validate: (v) => (v === '' ? 'must not be empty' : undefined), doc: 'Separator between the source alias and the topic name in remote topic names.' },
  'replication.policy.internal.topic.separator.enabled': { type: 'boolean', default: true, doc: 'Use replication.policy.separator in the names of internal topics (checkpoints, offset syncs) too.' },
  'admin.timeout.ms': { type: 'long', default: 60000, validate: atLeast(1), doc: 'Timeout for admin operations such as listing topics and creating remote topics.' },
  'consumer.poll.timeout.ms': { type: 'long', default: 1000, validate: atLeast(1), doc: 'How long a source task waits for records from the source cluster.' },
  // Topics
  'topics': { type: 'list', default: ['.*'], validate: regexList, importance: 'high', doc: 'Regexes of topics to replicate (each matches a whole name).' },
  'topics.exclude': { type: 'list', default: DEFAULT_TOPICS_EXCLUDE, validate: regexList, importance: 'high', doc: 'Regexes of topics never to replicate.' },
  'topic.filter.class': { type: 'class', default: 'org.apache.kafka.connect.mirror.DefaultTopicFilter', validate: oneOf('org.apache.kafka.connect.mirror.DefaultTopicFilter'), doc: 'Topic filter; only the default (topics / topics.exclude) is provided.' },
  'config.properties.exclude': { type: 'list', default: DEFAULT_CONFIG_PROPERTIES_EXCLUDE, validate: regexList, doc: 'Regexes of topic config properties not to replicate.' },
  'config.property.filter.class': { type: 'class', default: 'org.apache.kafka.connect.mirror.DefaultConfigPropertyFilter', validate: oneOf('org.apache.kafka.connect.mirror.DefaultConfigPropertyFilter'), doc: 'Topic config filter; only the default (config.properties.exclude) is provided.' },
  'refresh.topics.enabled': { type: 'boolean', default: true, doc: 'Periodically look for new topics and partitions on the source cluster.' },
  'refresh.topics.interval.seconds': { type: 'long', default: 600, validate: seconds, doc: 'How often to look for new topics and partitions.' },
  'sync.topic.configs.enabled': { type: 'boolean', default: true, doc: 'Keep remote topic configs in sync with the source topics.' },
  'sync.topic.configs.interval.seconds': { type: 'long', default: 600, validate: seconds, doc: 'How often to sync topic configs.' },
  'sync.topic.acls.enabled': { type: 'boolean', default: true, doc: 'Copy the literal topic ACLs of replicated topics to their remote topics (ALLOW WRITE is never copied; ALLOW ALL becomes READ). Skipped, with one info log line, when a cluster does not support ACLs (Kafka or Godwit\'s broker without authorizer.class.name).' },
  'sync.topic.acls.interval.seconds': { type: 'long', default: 600, validate: seconds, doc: 'How often to sync topic ACLs.' },
  'replication.factor': { type: 'int', default: 2, validate: replicationFactor, doc: 'Replication factor of created remote topics.' },
  'offset.lag.max': { type: 'long', default: 100, validate: atLeast(0), doc: 'An offset sync is emitted at least every this many records (Godwit also emits one wherever offsets stop being contiguous, which makes translation exact).' },
  'emit.offset-syncs.enabled': { type: 'boolean', default: true, doc: 'Whether the source connector emits offset syncs.' },
  'offset-syncs.topic.location': { type: 'string', default: 'source', validate: oneOf('source', 'target'), doc: 'Which cluster holds the offset-syncs topic.' },
  'offset-syncs.topic.replication.factor': { type: 'int', default: 3, validate: replicationFactor, doc: 'Replication factor of the offset-syncs topic.' },
  // Groups and checkpoints
  'groups': { type: 'list', default: ['.*'], validate: regexList, importance: 'high', doc: 'Regexes of consumer groups to checkpoint.' },
  'groups.exclude': { type: 'list', default: DEFAULT_GROUPS_EXCLUDE, validate: regexList, doc: 'Regexes of consumer groups never to checkpoint.' },
  'group.filter.class': { type: 'class', default: 'org.apache.kafka.connect.mirror.DefaultGroupFilter', validate: oneOf('org.apache.kafka.connect.mirror.DefaultGroupFilter'), doc: 'Group filter; only the default (groups / groups.exclude) is provided.' },
  'refresh.groups.enabled': { type: 'boolean', default: true, doc: 'Periodically look for new consumer groups.' },
  'refresh.groups.interval.seconds': { type: 'long', default: 600, validate: seconds, doc: 'How often to look for new consumer groups.' },
  'emit.checkpoints.enabled': { type: 'boolean', default: true, doc: 'Emit consumer group checkpoints to the target cluster.' },
  'emit.checkpoints.interval.seconds': { type: 'long', default: 60, validate: seconds, doc: 'How often to emit checkpoints.' },
  'sync.group.offsets.enabled': { type: 'boolean', default: false, doc: 'Write translated offsets into consumer groups on the target cluster (only while no member of the group is active there, never backwards).' },
  'sync.group.offsets.interval.seconds': { type: 'long', default: 60, validate: seconds, doc: 'How often to sync consumer group offsets.' },
  'checkpoints.topic.replication.factor': { type: 'int', default: 3, validate: replicationFactor, doc: 'Replication factor of the checkpoints topic.' },
  // Heartbeats
  'emit.heartbeats.enabled': { type: 'boolean', default: true, doc: 'Emit heartbeats to the target cluster.' },
  'emit.heartbeats.interval.seconds': { type: 'long', default: 1, validate: seconds, doc: 'How often to emit heartbeats.' },
  'heartbeats.topic.replication.factor': { type: 'int', default: 3, validate: replicationFactor, doc: 'Replication factor of the heartbeats topic.' },
})

export type MirrorConnectorConfig = ConfigOf<typeof MirrorConnectorConfigDef>

/** Cluster-level client settings MM2 accepts per cluster (`A.bootstrap.servers`) and at top level. */
export const MirrorClusterConfigDef = defineConfig('MirrorMaker 2 clusters', {
  'bootstrap.servers': { type: 'list', required: true, importance: 'high', doc: 'host:port pairs of the cluster (`<alias>.bootstrap.servers`).' },
  'client.id': { type: 'string', default: null, doc: 'Client id prefix used towards this cluster.' },
  'security.protocol': { type: 'string', default: 'PLAINTEXT', validate: oneOf('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'), doc: 'Protocol used to reach the cluster.' },
  'sasl.mechanism': { type: 'string', default: 'GSSAPI', validate: oneOf('GSSAPI', 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'), doc: 'SASL mechanism (PLAIN and SCRAM-SHA-256/512 are supported through kafkajs).' },
  'sasl.jaas.config': { type: 'password', default: null, doc: 'JAAS login line; username="..." and password="..." are read from it.' },
  'ssl.truststore.location': { type: 'string', default: null, doc: 'CA certificates (PEM file) that sign the brokers\' certificates.' },
  'ssl.truststore.type': { type: 'string', default: 'JKS', doc: 'Truststore format: PEM (a PEM file is also read at the JKS default); JKS and PKCS12 truststores are refused with the command that exports their CAs to PEM.' },
  'ssl.truststore.password': { type: 'password', default: null, doc: 'Truststore password (unused for PEM).' },
  'ssl.truststore.certificates': { type: 'password', default: null, doc: 'CA certificates given inline in PEM form.' },
  'ssl.keystore.location': { type: 'string', default: null, doc: 'Client certificate for mutual TLS: a PEM file holding the private key and certificate chain, or a PKCS12 file (ssl.keystore.type=PKCS12).' },
  'ssl.keystore.type': { type: 'string', default: 'JKS', doc: 'Keystore format: PEM or PKCS12 (JKS is refused with the keytool command that converts it).' },
  'ssl.keystore.password': { type: 'password', default: null, doc: 'Password of a PKCS12 keystore (unused for PEM).' },
  'ssl.keystore.certificate.chain': { type: 'password', default: null, doc: 'Client certificate chain given inline in PEM form.' },
  'ssl.keystore.key': { type: 'password', default: null, doc: 'Client private key given inline in PEM form.' },
  'ssl.key.password': { type: 'password', default: null, doc: 'Password of the client private key.' },
  'ssl.endpoint.identification.algorithm': { type: 'string', default: 'https', doc: 'Set empty to skip host name verification of broker certificates.' },
  'request.timeout.ms': { type: 'int', default: 30000, validate: atLeast(1), doc: 'Client request timeout towards this cluster.' },
})

/** Connect worker settings MM2's file may carry (dedicated mode); accepted and used where they apply. */
export const MirrorWorkerConfigDef = defineConfig('MirrorMaker 2 worker', {
  'clusters': { type: 'list', required: true, importance: 'high', doc: 'Aliases of the clusters, e.g. `A, B`; each needs `<alias>.bootstrap.servers`.' },
  'config.storage.replication.factor': { type: 'int', default: 3, validate: replicationFactor, doc: 'Replication factor of the config storage topic.' },
  'offset.storage.replication.factor': { type: 'int', default: 3, validate: replicationFactor, doc: 'Replication factor of the source offsets topic (`mm2-offsets.<target>.internal`).' },
  'status.storage.replication.factor': { type: 'int', default: 3, validate: replicationFactor, doc: 'Replication factor of the status storage topic.' },
  'offset.storage.partitions': { type: 'int', default: 25, validate: atLeast(1), doc: 'Partitions of the source offsets topic.' },
  'status.storage.partitions': { type: 'int', default: 5, validate: atLeast(1), doc: 'Partitions of the status storage topic.' },
  'offset.flush.interval.ms': { type: 'long', default: 60000, validate: atLeast(1), doc: 'How often source offsets are committed.' },
  'offset.flush.timeout.ms': { type: 'long', default: 5000, validate: atLeast(1), doc: 'How long an offset commit may take.' },
  'task.shutdown.graceful.timeout.ms': { type: 'long', default: 5000, validate: atLeast(0), doc: 'How long tasks get to stop.' },
  'key.converter': { type: 'class', default: 'org.apache.kafka.connect.converters.ByteArrayConverter', doc: 'Accepted for compatibility; MM2 copies bytes.' },
  'value.converter': { type: 'class', default: 'org.apache.kafka.connect.converters.ByteArrayConverter', doc: 'Accepted for compatibility; MM2 copies bytes.' },
  'header.converter': { type: 'class', default: 'org.apache.kafka.connect.converters.ByteArrayConverter', doc: 'Accepted for compatibility; MM2 copies bytes.' },
  'dedicated.mode.enable.internal.rest': { type: 'boolean', default: false, doc: 'Accepted for compatibility; Godwit\'s driver needs no internal REST.' },
  'config.providers': { type: 'list', default: [], doc: 'Accepted for compatibility; no config providers are supported yet.' },
})

/** Keys the driver recognises in each position, for "did you mean" warnings. */
export const CONNECTOR_KEYS = Object.keys(MirrorConnectorConfigDef.keys)
export const CLUSTER_KEYS = Object.keys(MirrorClusterConfigDef.keys)
export const WORKER_KEYS = Object.keys(MirrorWorkerConfigDef.keys)
export const CLIENT_PREFIXES = ['consumer.', 'producer.', 'admin.']
