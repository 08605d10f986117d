// What a group has committed, as a client sees it: kafkajs admin's fetchOffsets, one number per
// partition in partition order (-1 where nothing is committed).
import type { Kafka } from 'kafkajs'

export async function committed(kafka: Kafka, groupId: string, topic: string): Promise<number[]> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return t.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset))
  } finally {
    await admin.disconnect()
  }
}
