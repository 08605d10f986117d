// Commits offsets for a consumer group without joining it: an OffsetCommit with generation -1
// and no member id, as Kafka's AdminClient alterConsumerGroupOffsets sends (the broker accepts it
// only while the group has no active members). kafkajs's admin.setOffsets instead joins the group
// with a temporary consumer for seconds, which would itself make the group look active, so this
// reaches kafkajs's cluster object (not public API; kafkajs 2.x) and falls back to setOffsets.
import type { Kafka } from 'kafkajs'

export interface OffsetToCommit { topic: string; partition: number; offset: number }

interface KafkajsBroker {
  offsetCommit(req: { groupId: string; groupGenerationId: number; memberId: string; topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }): Promise<unknown>
}
interface KafkajsCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  findGroupCoordinator(req: { groupId: string }): Promise<KafkajsBroker>
}
type CreateCluster = (opts: { metadataMaxAge?: number; allowAutoTopicCreation?: boolean }) => KafkajsCluster

function createClusterOf(kafka: Kafka): CreateCluster | undefined {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
  const fn = sym === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[sym]
  return typeof fn === 'function' ? (fn as CreateCluster) : undefined
}

export async function commitGroupOffsets(kafka: Kafka, groupId: string, offsets: OffsetToCommit[]): Promise<void> {
  if (offsets.length === 0) return
  const byTopic = new Map<string, Array<{ partition: number; offset: string }>>()
  for (const o of offsets) {
    const list = byTopic.get(o.topic) ?? []
    list.push({ partition: o.partition, offset: String(o.offset) })
    byTopic.set(o.topic, list)
  }
  const create = createClusterOf(kafka)
  if (create === undefined) {
    const admin = kafka.admin()
    await admin.connect()
    try {
      for (const [topic, partitions] of byTopic) await admin.setOffsets({ groupId, topic, partitions })
    } finally { await admin.disconnect() }
    return
  }
  const cluster = create({ allowAutoTopicCreation: false })
  await cluster.connect()
  try {
    const coordinator = await cluster.findGroupCoordinator({ groupId })
    await coordinator.offsetCommit({
      groupId, groupGenerationId: -1, memberId: '',
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    })
  } finally {
    await cluster.disconnect()
  }
}
