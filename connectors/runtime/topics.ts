// Creating a topic the runtime needs (dead-letter queues) if it is missing.
import type { Admin } from 'kafkajs'

export async function ensureTopic(admin: Admin, topic: string, partitions: number, replicationFactor: number, configs: Record<string, string> = {}): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    })
  } catch (e) {
    if (!(await admin.listTopics()).includes(topic)) throw e
  }
}
