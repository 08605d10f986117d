// Per-topic log configuration with Kafka's names and defaults (one deliberate difference:
// flush.messages defaults to 1, so every append is fsynced before it is acknowledged).
// Values persist with the topic and can be altered at runtime.
import { defineConfig, type ConfigOf, type RawConfig } from '../../config/config-def'
import { atLeast, between, eachOneOf, nonEmpty, oneOf, all } from '../../config/validators'

const LONG_MAX = Number.MAX_SAFE_INTEGER

export const TopicConfigDef = defineConfig('Topic (log) configuration', {
  'cleanup.policy': { type: 'list', default: ['delete'], validate: all(nonEmpty, eachOneOf('delete', 'compact')), importance: 'high',
    doc: 'delete: drop whole old segments by retention.ms / retention.bytes. compact: keep the latest record per key. Both may be given ("compact,delete").' },
  'compression.type': { type: 'string', default: 'producer', validate: oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'), importance: 'medium',
    doc: 'Accepted for compatibility. Godwit always stores batches exactly as the producer compressed them (as with "producer"); it never re-compresses.' },
  'delete.retention.ms': { type: 'long', default: 86400000, validate: atLeast(0), importance: 'medium',
    doc: 'How long a tombstone (null value) is kept on a compacted topic, counted from its batch timestamp, so consumers can see the delete.' },
  'file.delete.delay.ms': { type: 'long', default: 60000, validate: atLeast(0), importance: 'medium',
    doc: 'Delay before a segment removed by retention or compaction is deleted from disk (it is first renamed to .deleted).' },
  'flush.messages': { type: 'long', default: 1, validate: atLeast(1), importance: 'high',
    doc: 'fsync after this many messages. Godwit default 1 (Kafka: unbounded): every append is fsynced before it resolves, concurrent appends share one fsync (group commit), and the high watermark only covers fsynced data, so an acknowledged write survives a power cut. Larger values acknowledge written but not yet fsynced data.' },
  'flush.ms': { type: 'long', default: LONG_MAX, validate: atLeast(0), importance: 'high',
    doc: 'fsync at least this often (ms) when flush.messages > 1. Irrelevant with the default flush.messages=1.' },
  'index.interval.bytes': { type: 'int', default: 4096, validate: atLeast(0), importance: 'medium',
    doc: 'Bytes of batches between two entries of the sparse offset index.' },
  'max.compaction.lag.ms': { type: 'long', default: LONG_MAX, validate: atLeast(1), importance: 'low',
    doc: 'A compacted log is cleaned once a not-yet-cleaned segment is older than this, even below min.cleanable.dirty.ratio (checked each cleaner run, every 15 s by default).' },
  'max.message.bytes': { type: 'int', default: 1048588, validate: atLeast(0), importance: 'medium',
    doc: 'Largest record batch (bytes, header included) the topic accepts; larger ones are refused with MESSAGE_TOO_LARGE.' },
  'message.timestamp.type': { type: 'string', default: 'CreateTime', validate: oneOf('CreateTime', 'LogAppendTime'), importance: 'medium',
    doc: 'CreateTime keeps producer timestamps; LogAppendTime stamps each batch with the broker time on append.' },
  'message.timestamp.difference.max.ms': { type: 'long', default: LONG_MAX, validate: atLeast(0), importance: 'low',
    doc: 'Accepted for compatibility (deprecated in Kafka); not enforced.' },
  'message.timestamp.before.max.ms': { type: 'long', default: LONG_MAX, validate: atLeast(0), importance: 'low',
    doc: 'With CreateTime, a batch whose first timestamp is earlier than the broker time by more than this is refused with INVALID_TIMESTAMP.' },
  'message.timestamp.after.max.ms': { type: 'long', default: LONG_MAX, validate: atLeast(0), importance: 'low',
    doc: 'With CreateTime, a batch whose newest timestamp is later than the broker time by more than this is refused with INVALID_TIMESTAMP.' },
  'message.downconversion.enable': { type: 'boolean', default: true, importance: 'low',
    doc: 'Accepted for compatibility; Godwit serves RecordBatch v2 only.' },
  'min.cleanable.dirty.ratio': { type: 'double', default: 0.5, validate: between(0, 1), importance: 'medium',
    doc: 'The background cleaner compacts a log when the share of bytes not yet cleaned is at least this ratio.' },
  'min.compaction.lag.ms': { type: 'long', default: 0, validate: atLeast(0), importance: 'medium',
    doc: 'A segment is only compacted once its newest record is at least this old.' },
  'min.insync.replicas': { type: 'int', default: 1, validate: atLeast(1), importance: 'low',
    doc: 'Accepted for compatibility (each Godwit partition has one replica).' },
  'preallocate': { type: 'boolean', default: false, importance: 'low',
    doc: 'Accepted for compatibility; segments are not preallocated.' },
  'retention.bytes': { type: 'long', default: -1, validate: atLeast(-1), importance: 'high',
    doc: 'Delete old segments while the partition is larger than this (-1: no size limit). Never deletes the active segment.' },
  'retention.ms': { type: 'long', default: 604800000, validate: atLeast(-1), importance: 'high',
    doc: 'Delete a segment once its newest timestamp is older than this (-1: keep forever). Never deletes the active segment.' },
  'segment.bytes': { type: 'int', default: 1073741824, validate: atLeast(14), importance: 'medium',
    doc: 'Roll to a new segment file when the active one would grow past this size.' },
  'segment.index.bytes': { type: 'int', default: 10485760, validate: atLeast(8), importance: 'medium',
    doc: 'Maximum size of a segment\'s offset index; the segment rolls when it is full.' },
  'segment.jitter.ms': { type: 'long', default: 0, validate: atLeast(0), importance: 'low',
    doc: 'Accepted for compatibility; not applied.' },
  'segment.ms': { type: 'long', default: 604800000, validate: atLeast(1), importance: 'medium',
    doc: 'Roll to a new segment when the active one is older than this, even if it is not full.' },
  'unclean.leader.election.enable': { type: 'boolean', default: false, importance: 'low',
    doc: 'Accepted for compatibility (single replica).' },
  'follower.replication.throttled.replicas': { type: 'list', default: [], importance: 'low',
    doc: 'Accepted for compatibility; not applied.' },
  'leader.replication.throttled.replicas': { type: 'list', default: [], importance: 'low',
    doc: 'Accepted for compatibility; not applied.' },
})

export type TopicConfig = ConfigOf<typeof TopicConfigDef>
export const TOPIC_CONFIG_KEYS = Object.keys(TopicConfigDef.keys)

/** Kafka writes "unbounded" as Long.MAX_VALUE, which JS numbers cannot hold: clamp such longs. */
export function normalizeTopicConfig(raw: Record<string, string | null | undefined>): RawConfig {
  const out: RawConfig = {}
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || v === undefined) continue
    const spec = (TopicConfigDef.keys as Record<string, { type: string }>)[k]
    if (spec !== undefined && spec.type === 'long' && /^\s*\+?\d{16,}\s*$/.test(v) && !Number.isSafeInteger(Number(v))) out[k] = String(LONG_MAX)
    else out[k] = v
  }
  return out
}

/** Parses broker defaults overlaid with topic overrides; throws ConfigError naming each bad key. */
export function parseTopicConfig(defaults: Record<string, string>, overrides: Record<string, string>): TopicConfig {
  return TopicConfigDef.parse({ ...normalizeTopicConfig(defaults), ...normalizeTopicConfig(overrides) })
}

export const hasPolicy = (c: TopicConfig, p: 'delete' | 'compact'): boolean => c['cleanup.policy'].includes(p)
