// The record schemas of Kafka's __consumer_offsets topic, so a log written by Godwit reads like
// Kafka's. Keys: version 0/1 = committed offset {group, topic, partition}; version 2 = group
// metadata {group}. Offset values: v0 {offset, metadata, timestamp}, v1 adds an expire
// timestamp, v2 drops it, v3 adds the leader epoch. Group values: v0 {protocolType,
// generation, protocol, leader, members}, v1 adds member rebalance timeouts, v2 the state
// timestamp, v3 member group.instance.id. A null value (tombstone) deletes the key.
import { ByteReader, ByteWriter } from './byte-io'
import { OffsetLogRecordError } from './errors'

export interface OffsetKey { kind: 'offset'; group: string; topic: string; partition: number }
export interface GroupKey { kind: 'group'; group: string }
export type RecordKey = OffsetKey | GroupKey

export interface OffsetValue {
  offset: number
  leaderEpoch: number
  metadata: string
  commitTimestamp: number
  /** Only from OffsetCommit v2-v4's retention time; written with value version 1 as Kafka does. */
  expireTimestamp?: number
}

export interface StoredMember {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
  subscription: Buffer
  assignment: Buffer
}

export interface GroupValue {
  protocolType: string
  generation: number
  protocol: string | null
  leader: string | null
  currentStateTimestamp: number
  members: StoredMember[]
}

export function encodeOffsetKey(group: string, topic: string, partition: number): Buffer {
  return new ByteWriter().int16(1).string(group).string(topic).int32(partition).toBuffer()
}

export function encodeGroupKey(group: string): Buffer {
  return new ByteWriter().int16(2).string(group).toBuffer()
}

export function decodeKey(buf: Buffer): RecordKey {
  return decoding('key', () => {
    const r = new ByteReader(buf)
    const version = r.int16()
    if (version === 0 || version === 1) return { kind: 'offset', group: r.string(), topic: r.string(), partition: r.int32() }
    if (version === 2) return { kind: 'group', group: r.string() }
    throw new OffsetLogRecordError(`unknown __consumer_offsets key version ${version}`)
  })
}

export function encodeOffsetValue(v: OffsetValue): Buffer {
  const w = new ByteWriter()
  if (v.expireTimestamp !== undefined) {
    return w.int16(1).int64(v.offset).string(v.metadata).int64(v.commitTimestamp).int64(v.expireTimestamp).toBuffer()
  }
  return w.int16(3).int64(v.offset).int32(v.leaderEpoch).string(v.metadata).int64(v.commitTimestamp).toBuffer()
}

export function decodeOffsetValue(buf: Buffer): OffsetValue {
  return decoding('offset value', () => {
    const r = new ByteReader(buf)
    const version = r.int16()
    if (version < 0 || version > 3) throw new OffsetLogRecordError(`unknown offset value version ${version}`)
    const offset = r.int64()
    const leaderEpoch = version >= 3 ? r.int32() : -1
    const metadata = r.string()
    const commitTimestamp = r.int64()
    const v: OffsetValue = { offset, leaderEpoch, metadata, commitTimestamp }
    if (version === 1) v.expireTimestamp = r.int64()
    return v
  })
}

export function encodeGroupValue(v: GroupValue): Buffer {
  const w = new ByteWriter().int16(3)
    .string(v.protocolType).int32(v.generation).string(v.protocol).string(v.leader)
    .int64(v.currentStateTimestamp).int32(v.members.length)
  for (const m of v.members) {
    w.string(m.memberId).string(m.groupInstanceId).string(m.clientId).string(m.clientHost)
      .int32(m.rebalanceTimeoutMs).int32(m.sessionTimeoutMs).bytes(m.subscription).bytes(m.assignment)
  }
  return w.toBuffer()
}

export function decodeGroupValue(buf: Buffer): GroupValue {
  return decoding('group value', () => {
    const r = new ByteReader(buf)
    const version = r.int16()
    if (version < 0 || version > 3) throw new OffsetLogRecordError(`unknown group metadata value version ${version}`)
    const protocolType = r.string()
    const generation = r.int32()
    const protocol = r.nullableString()
    const leader = r.nullableString()
    const currentStateTimestamp = version >= 2 ? r.int64() : -1
    const count = r.int32()
    const members: StoredMember[] = []
    for (let i = 0; i < count; i++) {
      const memberId = r.string()
      const groupInstanceId = version >= 3 ? r.nullableString() : null
      const clientId = r.string()
      const clientHost = r.string()
      const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1
      const sessionTimeoutMs = r.int32()
      const subscription = r.bytes()
      const assignment = r.bytes()
      members.push({ memberId, groupInstanceId, clientId, clientHost,
        rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs, sessionTimeoutMs, subscription, assignment })
    }
    return { protocolType, generation, protocol, leader, currentStateTimestamp, members }
  })
}

function decoding<T>(what: string, f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof OffsetLogRecordError) throw e
    throw new OffsetLogRecordError(`malformed __consumer_offsets ${what}: ${(e as Error).message}`, { cause: e })
  }
}
