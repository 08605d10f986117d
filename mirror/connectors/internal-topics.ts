// Creating the topics MM2 needs (heartbeats, checkpoints, offset syncs, remote topics) when missing.
import type { Admin, ITopicConfig } from 'kafkajs'

export async function ensureTopic(
  admin: Admin, topic: string, numPartitions: number, replicationFactor: number, configs: Record<string, string> = {},
): Promise<boolean> {
  if ((await admin.listTopics()).includes(topic)) return false
  const spec: ITopicConfig = {
    topic, numPartitions, replicationFactor,
    configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
  }
  try {
    await admin.createTopics({ topics: [spec], waitForLeaders: true })
    return true
  } catch (e) {
    // Someone else (another flow, another node) may have created it meanwhile.
    if ((await admin.listTopics()).includes(topic)) return false
    throw e
  }
}
