// MM2's OffsetSync record, written to `mm2-offset-syncs.<cluster>.internal`.
// key   => topic STRING partition INT32   (the upstream topic partition)
// value => upstreamOffset INT64 offset INT64
// Godwit's meaning is MM2's, stated precisely: the first upstream record at or after
// `upstreamOffset` sits at downstream offset `offset`.
import { WireReader, WireWriter, requireBuffer } from './wire'

export interface OffsetSync {
  topic: string
  partition: number
  upstreamOffset: number
  downstreamOffset: number
}

export function encodeOffsetSyncKey(s: Pick<OffsetSync, 'topic' | 'partition'>): Buffer {
  return new WireWriter().string(s.topic).int32(s.partition).build()
}

export function encodeOffsetSyncValue(s: Pick<OffsetSync, 'upstreamOffset' | 'downstreamOffset'>): Buffer {
  return new WireWriter().int64(s.upstreamOffset).int64(s.downstreamOffset).build()
}

export function decodeOffsetSync(key: Buffer | null | undefined, value: Buffer | null | undefined): OffsetSync {
  const k = new WireReader(requireBuffer(key, 'offset sync key'), 'offset sync key')
  const v = new WireReader(requireBuffer(value, 'offset sync value'), 'offset sync value')
  const topic = k.string()
  const partition = k.int32()
  const upstreamOffset = v.int64()
  return { topic, partition, upstreamOffset, downstreamOffset: v.int64() }
}
