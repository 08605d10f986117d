// Wires the group coordinator into the broker: the compacted __consumer_offsets topic (created
// on first start), the OffsetLog over it, and the coordinator's start and stop.
import { OFFSETS_TOPIC } from './cluster-state'
import type { Cluster } from './request-context'

export async function ensureOffsetsTopic(cluster: Cluster): Promise<void> {
  if (cluster.logs.topic(OFFSETS_TOPIC) !== undefined) return
  await cluster.logs.createTopic(OFFSETS_TOPIC, cluster.config['offsets.topic.num.partitions'], {
    'cleanup.policy': 'compact',
    'segment.bytes': '104857600',
  })
}

export async function startGroupCoordinator(_cluster: Cluster): Promise<Cluster['groups']> {
  // Filled in when core/group's GroupCoordinator lands.
  return undefined as unknown as Cluster['groups']
}

export async function stopGroupCoordinator(_cluster: Cluster): Promise<void> {
  // Filled in when core/group's GroupCoordinator lands.
}
