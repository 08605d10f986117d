// Persists groups through the OffsetLog in __consumer_offsets format and rebuilds them on load:
// committed offsets, and group metadata (generation, protocol, leader, members, assignments)
// so a restarted broker knows its groups' members as Kafka's does.
import type { Logger } from '../../config/logger'
import { ErrorCode } from '../protocol/error-codes'
import { Group, Member, type CommittedOffset } from './group'
import type { OffsetLog, OffsetLogRecord } from './offset-log'
import {
  decodeGroupValue, decodeKey, decodeOffsetValue, encodeGroupKey, encodeGroupValue, encodeOffsetKey, encodeOffsetValue,
  type GroupValue,
} from './offset-records'

export interface OffsetEntry {
  topic: string
  partition: number
  value: CommittedOffset
}

interface Replayed {
  value: GroupValue | undefined
  offsets: Map<string, CommittedOffset>
}

export class GroupStore {
  constructor(private readonly log: OffsetLog, private readonly logger: Logger) {}

  /** Writes the group's metadata; `assignments` overrides members' current assignments. Resolves to a wire error code. */
  storeGroup(group: Group, assignments?: Map<string, Buffer>): Promise<number> {
    return this.write(group.groupId, () => [{ key: encodeGroupKey(group.groupId), value: encodeGroupValue(groupValue(group, assignments)) }])
  }

  storeOffsets(groupId: string, entries: OffsetEntry[]): Promise<number> {
    return this.write(groupId, () => entries.map((e) => ({
      key: encodeOffsetKey(groupId, e.topic, e.partition), value: encodeOffsetValue(e.value),
    })))
  }

  /** Tombstones for the given offsets, and for the group's metadata when `group` is true. */
  deleteRecords(groupId: string, offsets: { topic: string; partition: number }[], group: boolean): Promise<number> {
    const records: OffsetLogRecord[] = offsets.map((o) => ({ key: encodeOffsetKey(groupId, o.topic, o.partition), value: null }))
    if (group) records.push({ key: encodeGroupKey(groupId), value: null })
    return records.length === 0 ? Promise.resolve(ErrorCode.NONE) : this.write(groupId, () => records)
  }

  /** Replays the log into groups: members come back in a Stable group (they must heartbeat to stay), or an Empty one. */
  async load(now: number): Promise<Map<string, Group>> {
    const replayed = new Map<string, Replayed>()
    const entry = (id: string): Replayed => {
      let r = replayed.get(id)
      if (r === undefined) replayed.set(id, r = { value: undefined, offsets: new Map() })
      return r
    }
    await this.log.replay((keyBytes, valueBytes) => {
      try {
        const key = decodeKey(keyBytes)
        if (key.kind === 'offset') {
          const id = `${key.topic}\u0000${key.partition}`
          if (valueBytes === null) replayed.get(key.group)?.offsets.delete(id)
          else entry(key.group).offsets.set(id, decodeOffsetValue(valueBytes))
        } else if (valueBytes === null) {
          const r = replayed.get(key.group)
          if (r !== undefined) r.value = undefined
        } else {
          entry(key.group).value = decodeGroupValue(valueBytes)
        }
      } catch (e) {
        this.logger.warn({ err: e, key: keyBytes.toString('hex') }, 'skipping unreadable __consumer_offsets record')
      }
    })
    const groups = new Map<string, Group>()
    for (const [groupId, r] of replayed) {
      if (r.value === undefined && r.offsets.size === 0) continue
      groups.set(groupId, restore(groupId, r, now))
    }
    return groups
  }

  /** Encoding happens inside the guard too: a value Kafka's schema cannot hold fails the write, not the broker. */
  private async write(groupId: string, records: () => OffsetLogRecord[]): Promise<number> {
    try {
      await this.log.append(records())
      return ErrorCode.NONE
    } catch (e) {
      this.logger.warn({ err: e, group: groupId }, 'writing to the offsets log failed')
      return appendErrorCode(e)
    }
  }
}

/** As Kafka: a batch too large for the log is the committer's fault; anything else is worth a retry. */
function appendErrorCode(e: unknown): number {
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string' && /TOO_LARGE/.test(code)) return ErrorCode.INVALID_COMMIT_OFFSET_SIZE
  return ErrorCode.COORDINATOR_NOT_AVAILABLE
}

function groupValue(group: Group, assignments?: Map<string, Buffer>): GroupValue {
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol: group.protocolName,
    leader: group.leaderId,
    currentStateTimestamp: group.currentStateTimestamp,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: group.protocolName === null ? Buffer.alloc(0) : m.metadata(group.protocolName),
      assignment: assignments?.get(m.memberId) ?? m.assignment,
    })),
  }
}

function restore(groupId: string, r: Replayed, now: number): Group {
  const group = new Group(groupId, now)
  for (const [id, value] of r.offsets) {
    const sep = id.lastIndexOf('\u0000')
    group.setOffset(id.slice(0, sep), Number(id.slice(sep + 1)), value)
  }
  const v = r.value
  if (v === undefined) return group
  group.protocolType = v.protocolType === '' && v.members.length === 0 ? null : v.protocolType
  group.generationId = v.generation
  group.protocolName = v.protocol
  if (v.currentStateTimestamp >= 0) group.currentStateTimestamp = v.currentStateTimestamp
  if (v.members.length === 0 || v.protocol === null) return group
  for (const m of v.members) {
    const member = new Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost, m.rebalanceTimeoutMs,
      m.sessionTimeoutMs, v.protocolType, [{ name: v.protocol, metadata: m.subscription }])
    member.assignment = m.assignment
    group.add(member)
  }
  if (v.leader !== null && group.has(v.leader)) group.leaderId = v.leader
  group.state = 'Stable'
  return group
}
