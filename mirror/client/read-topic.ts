// Reads a whole topic from its beginning up to the end offsets seen at the start, without a
// consumer group: kafkajs has no assign(), so this fetches through a throwaway group member that
// never commits. Used for checkpoints and offset syncs.
import type { Kafka, KafkaMessage } from 'kafkajs'
import { randomBytes } from 'node:crypto'

export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  onMessage: (m: KafkaMessage, partition: number) => void,
  timeoutMs = 30000,
): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  let ends: Map<number, number>
  try {
    if (!(await admin.listTopics()).includes(topic)) return
    const offsets = await admin.fetchTopicOffsets(topic)
    ends = new Map(offsets.map((o) => [o.partition, Number(o.high)]))
    const starts = new Map(offsets.map((o) => [o.partition, Number(o.low)]))
    for (const [p, end] of ends) if (end <= (starts.get(p) ?? 0)) ends.delete(p)
  } finally {
    await admin.disconnect()
  }
  if (ends.size === 0) return
  const groupId = `__godwit-mm2-reader-${randomBytes(6).toString('hex')}`
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 })
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${topic} to its end after ${timeoutMs} ms`)), timeoutMs)
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          const end = ends.get(partition)
          if (end === undefined) return
          if (Number(message.offset) < end) onMessage(message, partition)
          if (Number(message.offset) >= end - 1) ends.delete(partition)
          if (ends.size === 0) { clearTimeout(timer); resolve() }
        },
      }).catch((e: unknown) => { clearTimeout(timer); reject(e as Error) })
    })
  } finally {
    await consumer.disconnect()
    // The throwaway group committed nothing; remove it so such groups do not pile up.
    const cleanup = kafka.admin()
    await cleanup.connect()
    await cleanup.deleteGroups([groupId]).catch(() => undefined)
    await cleanup.disconnect()
  }
}
