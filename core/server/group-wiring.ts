// Wires the group coordinator into the broker: the compacted __consumer_offsets topic (created
// on first start), the OffsetLog over it, and the coordinator's start and stop.
import { GroupCoordinator, GroupCoordinatorConfigDef, type GroupCoordinatorConfig } from '../group'
import { OFFSETS_TOPIC } from './cluster-state'
import { OffsetsTopicLog } from './offsets-topic-log'
import type { Cluster } from './request-context'

export async function ensureOffsetsTopic(cluster: Cluster): Promise<void> {
  const existing = cluster.logs.topic(OFFSETS_TOPIC)
  if (existing === undefined) {
    await cluster.logs.createTopic(OFFSETS_TOPIC, cluster.config['offsets.topic.num.partitions'], {
      'cleanup.policy': 'compact',
      'segment.bytes': '104857600',
    })
  }
  // Groups must keep hashing to the partitions that hold their history, even if the setting changed.
  cluster.offsetsPartitions = cluster.logs.topic(OFFSETS_TOPIC)!.partitions.length
}

/** Builds the coordinator over __consumer_offsets and replays it before the broker serves. */
export async function startGroupCoordinator(cluster: Cluster): Promise<GroupCoordinator> {
  const config: Record<string, unknown> = {}
  for (const key of Object.keys(GroupCoordinatorConfigDef.keys)) config[key] = (cluster.config as Record<string, unknown>)[key]
  const groups = new GroupCoordinator({ offsetLog: new OffsetsTopicLog(cluster), config: config as Partial<GroupCoordinatorConfig> })
  await groups.load()
  return groups
}

export async function stopGroupCoordinator(cluster: Cluster): Promise<void> {
  const groups = cluster.groups as GroupCoordinator | undefined
  groups?.close()
}
