// MM2's DefaultReplicationPolicy: a remote topic is `<source alias><separator><topic>`.
import { BasePolicy, type PolicyOptions } from './replication-policy'

export class DefaultReplicationPolicy extends BasePolicy {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy'

  constructor(opts: PolicyOptions = {}) { super(opts) }

  formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return `${sourceClusterAlias}${this.separator}${topic}`
  }

  topicSource(topic: string): string | undefined {
    const i = topic.indexOf(this.separator)
    // MM2 splits on the separator and needs at least two non-empty parts.
    if (i <= 0 || i + this.separator.length >= topic.length) return undefined
    return topic.slice(0, i)
  }

  upstreamTopic(topic: string): string | undefined {
    const source = this.topicSource(topic)
    return source === undefined ? undefined : topic.slice(source.length + this.separator.length)
  }
}
