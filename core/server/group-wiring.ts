// Wires the group coordinator into the broker: the compacted __consumer_offsets topic (created
// on first start), the OffsetLog over it, and the coordinator's creation and start.
import { GroupCoordinator, GroupCoordinatorConfigDef, type GroupCoordinatorConfig } from '../group'
import { OFFSETS_TOPIC } from './cluster-state'
import { OffsetsTopicLog } from './offsets-topic-log'
import type { Cluster } from './request-context'
import type { LogManager } from '../log/log-manager'
import type { BrokerConfig } from './broker-config'

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

/**
 * Builds the coordinator over __consumer_offsets. It answers COORDINATOR_LOAD_IN_PROGRESS until
 * startGroupCoordinator has replayed the topic, so it can exist before the topic does.
 */
export function createGroupCoordinator(logs: LogManager, config: BrokerConfig, partitionFor: (groupId: string) => number): GroupCoordinator {
  const groupConfig: Record<string, unknown> = {}
  for (const key of Object.keys(GroupCoordinatorConfigDef.keys)) groupConfig[key] = (config as Record<string, unknown>)[key]
  return new GroupCoordinator({ offsetLog: new OffsetsTopicLog(logs, partitionFor), config: groupConfig as Partial<GroupCoordinatorConfig> })
}

/** Creates __consumer_offsets if needed and replays it into the coordinator before the broker serves. */
export async function startGroupCoordinator(cluster: Cluster): Promise<void> {
  await ensureOffsetsTopic(cluster)
  await cluster.groups.load()
}
