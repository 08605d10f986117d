// MM2's Checkpoint record, written to `<source>.checkpoints.internal` on the target cluster.
// key   => consumerGroupId STRING topic STRING (the remote topic) partition INT32
// value => version INT16 (0) upstreamOffset INT64 offset INT64 metadata STRING
import { WireReader, WireWriter, requireBuffer } from './wire'

export interface Checkpoint {
  consumerGroupId: string
  /** The topic as named on the target cluster (the remote topic). */
  topic: string
  partition: number
  upstreamOffset: number
  /** The translated offset the group resumes from on the target cluster. */
  offset: number
  metadata: string
}

export const CHECKPOINT_VERSION = 0

export function encodeCheckpointKey(c: Pick<Checkpoint, 'consumerGroupId' | 'topic' | 'partition'>): Buffer {
  return new WireWriter().string(c.consumerGroupId).string(c.topic).int32(c.partition).build()
}

export function encodeCheckpointValue(c: Pick<Checkpoint, 'upstreamOffset' | 'offset' | 'metadata'>): Buffer {
  return new WireWriter().int16(CHECKPOINT_VERSION).int64(c.upstreamOffset).int64(c.offset).string(c.metadata).build()
}

export function decodeCheckpoint(key: Buffer | null | undefined, value: Buffer | null | undefined): Checkpoint {
  const k = new WireReader(requireBuffer(key, 'checkpoint key'), 'checkpoint key')
  const v = new WireReader(requireBuffer(value, 'checkpoint value'), 'checkpoint value')
  const consumerGroupId = k.string()
  const topic = k.string()
  const partition = k.int32()
  v.int16() // version
  const upstreamOffset = v.int64()
  const offset = v.int64()
  return { consumerGroupId, topic, partition, upstreamOffset, offset, metadata: v.string() }
}
