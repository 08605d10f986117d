// Shared pieces of the mirror integration tests: two clusters, an mm2.properties for them, and
// reading a topic back with every record's key, value, headers, timestamp, partition and offset.
import type { Kafka } from 'kafkajs'
import { randomBytes } from 'node:crypto'
import { waitFor } from '../../helpers/wait-for'

export interface Seen {
  partition: number
  offset: number
  key: string | null
  value: string | null
  timestamp: string
  headers: Record<string, string>
  rawKey: Buffer | null
  rawValue: Buffer | null
}

/** Test-speed intervals; everything else is MM2's default. */
export function mm2Props(a: string[], b: string[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    'clusters': 'A, B',
    'A.bootstrap.servers': a.join(','),
    'B.bootstrap.servers': b.join(','),
    'A->B.enabled': 'true',
    'replication.factor': '1',
    'checkpoints.topic.replication.factor': '1',
    'heartbeats.topic.replication.factor': '1',
    'offset-syncs.topic.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'offset.storage.partitions': '1',
    'status.storage.replication.factor': '1',
    'config.storage.replication.factor': '1',
    'refresh.topics.interval.seconds': '1',
    'refresh.groups.interval.seconds': '1',
    'sync.topic.configs.interval.seconds': '1',
    'emit.checkpoints.interval.seconds': '1',
    'offset.flush.interval.ms': '500',
    ...extra,
  }
}

function headerText(h: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h ?? {})) out[k] = Array.isArray(v) ? v.map(String).join('|') : String(v)
  return out
}

/** Reads `topic` from the beginning until `count` records arrived (or fails at the deadline). */
export async function readAll(kafka: Kafka, topic: string, count: number, timeoutMs = 20000): Promise<Seen[]> {
  // A consumer that joins while the topic has no partition leaders yet is assigned nothing.
  await waitFor(`topic ${topic} with leaders`, () => topicReady(kafka, topic), { timeoutMs })
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false })
  const seen: Seen[] = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({
          partition, offset: Number(message.offset),
          key: message.key === null ? null : message.key.toString('utf8'),
          value: message.value === null ? null : message.value.toString('utf8'),
          timestamp: message.timestamp, headers: headerText(message.headers as Record<string, unknown>),
          rawKey: message.key, rawValue: message.value,
        })
      },
    })
    await waitFor(`${count} records on ${topic} (have ${seen.length})`, () => seen.length >= count, { timeoutMs })
  } finally {
    await consumer.disconnect()
  }
  return seen.sort((x, y) => x.partition - y.partition || x.offset - y.offset)
}

export async function topicReady(kafka: Kafka, topic: string): Promise<boolean> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    if (!(await admin.listTopics()).includes(topic)) return false
    const meta = await admin.fetchTopicMetadata({ topics: [topic] })
    const parts = meta.topics[0]?.partitions ?? []
    return parts.length > 0 && parts.every((p) => p.leader >= 0 && p.partitionErrorCode === 0)
  } finally { await admin.disconnect() }
}

export async function topicExists(kafka: Kafka, topic: string): Promise<boolean> {
  const admin = kafka.admin()
  await admin.connect()
  try { return (await admin.listTopics()).includes(topic) } finally { await admin.disconnect() }
}

/** Strips offsets (which differ between clusters) for comparing content, order and partition. */
export function content(rs: Seen[]): Omit<Seen, 'offset'>[] {
  return rs.map(({ offset: _o, ...rest }) => rest)
}
