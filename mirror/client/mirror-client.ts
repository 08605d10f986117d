// MM2's MirrorClient / RemoteClusterUtils: what a cluster knows about replication from the topics
// and checkpoints MM2 left on it. Takes a kafkajs Kafka (or just its admin) of that cluster.
import type { Admin, Kafka } from 'kafkajs'
import { decodeCheckpoint } from '../formats'
import type { ReplicationPolicy } from '../policy'
import { DefaultReplicationPolicy } from '../policy'
import { readTopicToEnd } from './read-topic'

export interface TopicPartitionOffset { topic: string; partition: number; offset: number }

export class MirrorClient {
  constructor(private readonly kafka: Kafka, private readonly policy: ReplicationPolicy = new DefaultReplicationPolicy()) {}

  private async topics(): Promise<string[]> {
    const admin = this.kafka.admin()
    await admin.connect()
    try { return await admin.listTopics() } finally { await admin.disconnect() }
  }

  /** Heartbeat topics on this cluster: `heartbeats`, `A.heartbeats`, `B.A.heartbeats`, ... */
  async heartbeatTopics(): Promise<string[]> {
    return (await this.topics()).filter((t) => this.policy.isHeartbeatsTopic(t)).sort()
  }

  /** `<source>.checkpoints.internal` topics on this cluster. */
  async checkpointTopics(): Promise<string[]> {
    return (await this.topics()).filter((t) => this.policy.isCheckpointsTopic(t)).sort()
  }

  /** Topics replicated here from other clusters (replicated heartbeats included, as in MM2). */
  async remoteTopics(sourceClusterAlias?: string): Promise<string[]> {
    return (await this.topics())
      .filter((t) => !this.policy.isInternalTopic(t))
      .filter((t) => {
        const source = this.policy.topicSource(t)
        return source !== undefined && (sourceClusterAlias === undefined || source === sourceClusterAlias)
      })
      .sort()
  }

  /** Clusters upstream of this one, nearest first by hop count, found through replicated heartbeats. */
  async upstreamClusters(): Promise<string[]> {
    const found = new Set<string>()
    for (const t of await this.heartbeatTopics()) {
      let current: string | undefined = t
      for (let i = 0; i < 100 && current !== undefined; i++) {
        const source = this.policy.topicSource(current)
        if (source === undefined) break
        found.add(source)
        const up = this.policy.upstreamTopic(current)
        current = up === current ? undefined : up
      }
    }
    return [...found].sort()
  }

  /** Hops from `upstreamClusterAlias` to this cluster: 1 if directly replicated, -1 if not upstream at all. */
  async replicationHops(upstreamClusterAlias: string): Promise<number> {
    let best = -1
    for (const t of await this.heartbeatTopics()) {
      const hops = countHops(this.policy, t, upstreamClusterAlias)
      if (hops !== -1 && (best === -1 || hops < best)) best = hops
    }
    return best
  }

  /**
   * A group's offsets on this cluster, translated from `remoteClusterAlias`, read from the
   * `<remote>.checkpoints.internal` topic (the latest checkpoint per partition wins).
   */
  async remoteConsumerOffsets(consumerGroupId: string, remoteClusterAlias: string, timeoutMs = 30000): Promise<TopicPartitionOffset[]> {
    const topic = this.policy.checkpointsTopic(remoteClusterAlias)
    const latest = new Map<string, TopicPartitionOffset>()
    await readTopicToEnd(this.kafka, topic, (m) => {
      const c = decodeCheckpoint(m.key, m.value)
      if (c.consumerGroupId !== consumerGroupId) return
      latest.set(`${c.topic}\u0000${c.partition}`, { topic: c.topic, partition: c.partition, offset: c.offset })
    }, timeoutMs)
    return [...latest.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
  }
}

function countHops(policy: ReplicationPolicy, topic: string, alias: string): number {
  let current: string | undefined = topic
  for (let hops = 0; hops < 100 && current !== undefined; hops++) {
    const source = policy.topicSource(current)
    if (source === undefined) return -1
    if (source === alias) return hops + 1
    const up = policy.upstreamTopic(current)
    current = up === current ? undefined : up
  }
  return -1
}

export type { Admin }
