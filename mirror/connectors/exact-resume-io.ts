// The cluster reads behind exact-resume.ts: watermarks through one admin client per side, and
// records through a PartitionReader (a private `__` group that MM2's groups.exclude skips) per side.
import type { Kafka } from 'kafkajs'
import { partitionKey, type ResumeIo, type Watermarks } from './exact-resume'
import { PartitionReader } from './partition-reader'

/** ResumeIo over real clusters: admin watermarks and a PartitionReader per side (private `__` groups). */
export function kafkaResumeIo(source: Kafka, target: Kafka, groupPrefix: string): ResumeIo {
  return {
    async watermarks(side, topics) {
      const admin = (side === 'source' ? source : target).admin()
      await admin.connect()
      try {
        const exists = new Set(await admin.listTopics())
        const out = new Map<string, Map<number, Watermarks>>()
        for (const topic of topics) {
          const offsets = exists.has(topic) ? await admin.fetchTopicOffsets(topic) : []
          out.set(topic, new Map(offsets.map((x) => [x.partition, { low: Number(x.low), high: Number(x.high) }])))
        }
        return out
      } finally {
        await admin.disconnect()
      }
    },
    async read(side, starts, visit, idleMs) {
      const reader = new PartitionReader(side === 'source' ? source : target, starts.map((s) => ({ topic: s.topic, partition: s.partition })),
        new Map(starts.map((s) => [partitionKey(s.topic, s.partition), s.from])), { groupPrefix: `${groupPrefix}-${side}` })
      const open = new Set(starts.map((s) => partitionKey(s.topic, s.partition)))
      try {
        await reader.start()
        let deadline = Date.now() + idleMs
        while (open.size > 0 && Date.now() < deadline) {
          for (const b of await reader.takeBatches(250)) {
            const key = partitionKey(b.topic, b.partition)
            if (!open.has(key)) continue
            deadline = Date.now() + idleMs
            if (visit(b.topic, b.partition, b.messages)) open.delete(key)
          }
        }
      } finally {
        await reader.stop()
      }
    },
  }
}
