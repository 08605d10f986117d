// MM2's ReplicationPolicy: three methods name remote topics (format one, name a topic's source,
// name its upstream topic); everything else is derived from them with MM2's default rules.

export interface ReplicationPolicy {
  /** The name `topic` from cluster `sourceClusterAlias` gets on the target. */
  formatRemoteTopic(sourceClusterAlias: string, topic: string): string
  /** The cluster a remote topic was replicated from, or undefined for a local topic. */
  topicSource(topic: string): string | undefined
  /** The topic's name one hop upstream, or undefined for a local topic. */
  upstreamTopic(topic: string): string | undefined
  /** The topic's name on the cluster it was first written to. */
  originalTopic(topic: string): string
  heartbeatsTopic(): string
  offsetSyncsTopic(clusterAlias: string): string
  checkpointsTopic(clusterAlias: string): string
  isHeartbeatsTopic(topic: string): boolean
  isCheckpointsTopic(topic: string): boolean
  isMM2InternalTopic(topic: string): boolean
  isInternalTopic(topic: string): boolean
}

export interface PolicyOptions {
  /** replication.policy.separator */
  separator?: string
  /** replication.policy.internal.topic.separator.enabled: use the separator in internal topic names too. */
  internalTopicSeparatorEnabled?: boolean
  /** source.cluster.alias: IdentityReplicationPolicy's answer for topicSource. */
  sourceClusterAlias?: string
}

/** The parts every policy shares: internal-topic names and rules, originalTopic by walking upstream. */
export abstract class BasePolicy implements ReplicationPolicy {
  readonly separator: string
  protected readonly internalSeparator: string

  constructor(opts: PolicyOptions = {}) {
    this.separator = opts.separator ?? '.'
    this.internalSeparator = opts.internalTopicSeparatorEnabled === false ? '.' : this.separator
  }

  abstract formatRemoteTopic(sourceClusterAlias: string, topic: string): string
  abstract topicSource(topic: string): string | undefined
  abstract upstreamTopic(topic: string): string | undefined

  originalTopic(topic: string): string {
    let current = topic
    // Bounded walk: a pathological name cannot loop forever.
    for (let i = 0; i < 100; i++) {
      const up = this.upstreamTopic(current)
      if (up === undefined || up === current) return current
      current = up
    }
    return current
  }

  heartbeatsTopic(): string { return 'heartbeats' }

  offsetSyncsTopic(clusterAlias: string): string {
    const s = this.internalSeparator
    return `mm2-offset-syncs${s}${clusterAlias}${s}internal`
  }

  checkpointsTopic(clusterAlias: string): string {
    const s = this.internalSeparator
    return `${clusterAlias}${s}checkpoints${s}internal`
  }

  isHeartbeatsTopic(topic: string): boolean { return this.originalTopic(topic) === this.heartbeatsTopic() }

  isCheckpointsTopic(topic: string): boolean {
    const s = this.internalSeparator
    return topic.endsWith(`${s}checkpoints${s}internal`)
  }

  isMM2InternalTopic(topic: string): boolean {
    const s = this.internalSeparator
    // mm2-offset-syncs.*.internal, and dedicated mode's mm2-configs/offsets/status.<alias>.internal
    return (topic.startsWith('mm2') && topic.endsWith(`${s}internal`)) || this.isCheckpointsTopic(topic)
  }

  /** Kafka's own (__consumer_offsets, .hidden), Connect's (*-internal, *.internal) and MM2's. */
  isInternalTopic(topic: string): boolean {
    const kafkaInternal = topic.startsWith('__') || topic.startsWith('.')
    const connectInternal = topic.endsWith('-internal') || topic.endsWith('.internal')
    return kafkaInternal || connectInternal || this.isMM2InternalTopic(topic)
  }
}
