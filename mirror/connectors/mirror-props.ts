// What every MM2 connector and task derives from its properties: the parsed config, the
// replication policy, and kafkajs clients of the source and target clusters
// (`source.cluster.*` / `target.cluster.*`, as MM2's connectors take them).
import { Kafka, type KafkaConfig } from 'kafkajs'
import { withPrefix } from '../../config'
import { registerKafkajsCodecs } from '../../connectors/kafka/codecs'
import { MirrorConnectorConfigDef, kafkajsConfig, type MirrorConnectorConfig } from '../config'
import { MirrorConfigError } from '../errors'
import { createReplicationPolicy, type ReplicationPolicy } from '../policy'

export interface MirrorContext {
  config: MirrorConnectorConfig
  source: string
  target: string
  policy: ReplicationPolicy
  sourceProps: Record<string, string>
  targetProps: Record<string, string>
  sourceKafka(clientSuffix: string): Kafka
  targetKafka(clientSuffix: string): Kafka
  /** The KafkaConfig behind sourceKafka/targetKafka, for clients that are not `new Kafka` (WireClient). */
  sourceConfig(clientSuffix: string): KafkaConfig
  targetConfig(clientSuffix: string): KafkaConfig
}

export function mirrorContext(props: Record<string, string>): MirrorContext {
  registerKafkajsCodecs()
  const config = MirrorConnectorConfigDef.parse(props, { allowUnknown: true })
  const source = config['source.cluster.alias']
  if (source === undefined || source === '') throw new MirrorConfigError('source.cluster.alias is required')
  const target = config['target.cluster.alias']
  const policy = createReplicationPolicy(config['replication.policy.class'], {
    separator: config['replication.policy.separator'],
    internalTopicSeparatorEnabled: config['replication.policy.internal.topic.separator.enabled'],
    sourceClusterAlias: source,
  })
  const sourceProps = withPrefix(props, 'source.cluster.')
  const targetProps = withPrefix(props, 'target.cluster.')
  return {
    config, source, target, policy, sourceProps, targetProps,
    sourceKafka: (suffix) => new Kafka(kafkajsConfig(sourceProps, `mm2-${source}->${target}-${suffix}`)),
    targetKafka: (suffix) => new Kafka(kafkajsConfig(targetProps, `mm2-${source}->${target}-${suffix}`)),
    sourceConfig: (suffix) => kafkajsConfig(sourceProps, `mm2-${source}->${target}-${suffix}`),
    targetConfig: (suffix) => kafkajsConfig(targetProps, `mm2-${source}->${target}-${suffix}`),
  }
}

/** Interval keys: seconds, with -1 (or 0) meaning "never". */
export function intervalMs(seconds: number): number | undefined {
  return seconds <= 0 ? undefined : seconds * 1000
}

/** The cluster holding the offset-syncs topic and the alias in its name. */
export function offsetSyncsLocation(m: MirrorContext): { onSource: boolean; topic: string } {
  // On the source it is named after the target (mm2-offset-syncs.B.internal on A), and vice versa.
  const onSource = m.config['offset-syncs.topic.location'] === 'source'
  return { onSource, topic: m.policy.offsetSyncsTopic(onSource ? m.target : m.source) }
}
