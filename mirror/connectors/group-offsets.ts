// Reads committed group offsets (source) and writes translated ones into idle groups (target).
import type { Admin, Kafka } from 'kafkajs'
import { commitGroupOffsets } from '../client/commit-offsets'

export interface GroupOffset { topic: string; partition: number; offset: number; metadata: string }

export async function committedOffsets(admin: Admin, groupId: string): Promise<GroupOffset[]> {
  const res = await admin.fetchOffsets({ groupId })
  const out: GroupOffset[] = []
  for (const t of res) {
    for (const p of t.partitions) {
      const offset = Number(p.offset)
      if (offset >= 0) out.push({ topic: t.topic, partition: p.partition, offset, metadata: p.metadata ?? '' })
    }
  }
  return out
}

/** True when no member of the group is active on this cluster (safe to write its offsets). */
export async function isGroupIdle(admin: Admin, groupId: string): Promise<boolean> {
  const { groups } = await admin.describeGroups([groupId])
  const g = groups[0]
  return g === undefined || g.state === 'Empty' || g.state === 'Dead' || g.members.length === 0
}

/**
 * Writes `wanted` offsets into `groupId` where they move the group forward (never backwards, as
 * MM2's sync.group.offsets). Returns the partitions written.
 */
export async function advanceGroupOffsets(admin: Admin, kafka: Kafka, groupId: string, wanted: GroupOffset[]): Promise<GroupOffset[]> {
  if (wanted.length === 0) return []
  const current = new Map((await committedOffsets(admin, groupId)).map((o) => [`${o.topic}\u0000${o.partition}`, o.offset]))
  const forward = wanted.filter((w) => w.offset > (current.get(`${w.topic}\u0000${w.partition}`) ?? -1))
  await commitGroupOffsets(kafka, groupId, forward)
  return forward
}
