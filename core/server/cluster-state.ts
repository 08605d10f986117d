// What every handler sees of the cluster: the one LogManager and GroupCoordinator shared by all
// logical brokers of this process, the node list, who leads which partition and who coordinates
// which group. Leadership is a pure function of names, so it is stable across restarts.
import type { BrokerConfig } from './broker-config'
import type { ProducerIdAllocator } from './producer-ids'
import type { Authorizer } from './acls/authorizer'
import type { ScramCredentialStore } from './security/scram-store'

export const OFFSETS_TOPIC = '__consumer_offsets'

export interface NodeInfo {
  nodeId: number
  /** Advertised address given to clients in Metadata and FindCoordinator. */
  host: string
  port: number
  /** Advertised address per listener name (upper case) when the broker has several listeners; host/port are the first's. */
  listeners?: { name: string; host: string; port: number }[]
}

/** Where a client that came in through `listenerName` should dial this node (Kafka answers per listener). */
export function endpointFor(node: NodeInfo, listenerName: string): { host: string; port: number } {
  return node.listeners?.find((l) => l.name === listenerName) ?? node
}

/** Java's String.hashCode, so partition choice for groups matches Kafka's abs(hash) % n. */
export function javaHashCode(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0
  return h
}

export class ClusterState<Logs = unknown, Groups = unknown> {
  private readonly stopController = new AbortController()
  /** SCRAM credentials set by AlterUserScramCredentials (security/scram-store.ts), loaded at start-up. */
  scramCredentials: ScramCredentialStore | undefined

  constructor(
    readonly clusterId: string,
    readonly nodes: readonly NodeInfo[],
    readonly logs: Logs,
    readonly groups: Groups,
    readonly config: BrokerConfig,
    readonly producerIds: ProducerIdAllocator,
    /** Topic-config defaults (Kafka topic names) derived from the broker config; mutable by AlterConfigs. */
    readonly brokerOverrides: Map<string, string> = new Map(),
  ) {}

  /** Aborted when the cluster begins to stop: long-polling fetches answer at once. */
  get stopping(): AbortSignal {
    return this.stopController.signal
  }

  beginStop(): void {
    this.stopController.abort()
  }

  /** The lowest node id: always a live node, since every node lives in this process. */
  get controllerId(): number {
    return this.nodes[0].nodeId
  }

  node(nodeId: number): NodeInfo | undefined {
    return this.nodes.find((n) => n.nodeId === nodeId)
  }

  /** Leaders go round-robin over the nodes, starting at a per-topic offset so one-partition topics spread too. */
  leaderFor(topic: string, partition: number): number {
    const n = this.nodes.length
    const start = ((javaHashCode(topic) % n) + n) % n
    return this.nodes[(start + partition) % n].nodeId
  }

  /**
   * Partitions of __consumer_offsets as it exists on disk; set at start-up. It wins over
   * offsets.topic.num.partitions, which only applies when the topic is first created.
   */
  offsetsPartitions: number | undefined

  /** The __consumer_offsets partition that holds a group's state, as Kafka picks it. */
  offsetsPartitionFor(groupId: string): number {
    return (javaHashCode(groupId) & 0x7fffffff) % (this.offsetsPartitions ?? this.config['offsets.topic.num.partitions'])
  }

  /** The coordinator is the leader of the group's __consumer_offsets partition. */
  coordinatorFor(groupId: string): number {
    return this.leaderFor(OFFSETS_TOPIC, this.offsetsPartitionFor(groupId))
  }

  /** The ACL authorizer when authorizer.class.name is set (one for all nodes: ACLs are cluster-wide); set at start-up. */
  authorizer: Authorizer | undefined

  isInternalTopic(topic: string): boolean {
    return topic === OFFSETS_TOPIC
  }
}
