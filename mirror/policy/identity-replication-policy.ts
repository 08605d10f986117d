// MM2's IdentityReplicationPolicy: remote topics keep their names, so the name cannot say where a
// topic came from. Only heartbeats keep the prefixed form (replication hops stay countable).
// Loops are prevented by a provenance header on every replicated record (see provenance.ts).
import { DefaultReplicationPolicy } from './default-replication-policy'
import { BasePolicy, type PolicyOptions } from './replication-policy'

export class IdentityReplicationPolicy extends BasePolicy {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy'
  private readonly prefixed: DefaultReplicationPolicy
  private readonly sourceClusterAlias: string | undefined

  constructor(opts: PolicyOptions = {}) {
    super(opts)
    this.prefixed = new DefaultReplicationPolicy(opts)
    this.sourceClusterAlias = opts.sourceClusterAlias
  }

  private looksLikeHeartbeat(topic: string): boolean {
    return topic !== undefined && topic.endsWith(this.heartbeatsTopic())
  }

  formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return this.looksLikeHeartbeat(topic) ? this.prefixed.formatRemoteTopic(sourceClusterAlias, topic) : topic
  }

  topicSource(topic: string): string | undefined {
    return this.looksLikeHeartbeat(topic) ? this.prefixed.topicSource(topic) : this.sourceClusterAlias
  }

  upstreamTopic(topic: string): string | undefined {
    return this.looksLikeHeartbeat(topic) ? this.prefixed.upstreamTopic(topic) : topic
  }
}
