// MM2's Heartbeat record, written to `heartbeats` on the target cluster.
// key   => sourceClusterAlias STRING targetClusterAlias STRING
// value => version INT16 (0) timestamp INT64
import { WireReader, WireWriter, requireBuffer } from './wire'

export interface Heartbeat {
  sourceClusterAlias: string
  targetClusterAlias: string
  timestamp: number
}

export const HEARTBEAT_VERSION = 0

export function encodeHeartbeatKey(h: Pick<Heartbeat, 'sourceClusterAlias' | 'targetClusterAlias'>): Buffer {
  return new WireWriter().string(h.sourceClusterAlias).string(h.targetClusterAlias).build()
}

export function encodeHeartbeatValue(h: Pick<Heartbeat, 'timestamp'>): Buffer {
  return new WireWriter().int16(HEARTBEAT_VERSION).int64(h.timestamp).build()
}

export function decodeHeartbeat(key: Buffer | null | undefined, value: Buffer | null | undefined): Heartbeat {
  const k = new WireReader(requireBuffer(key, 'heartbeat key'), 'heartbeat key')
  const v = new WireReader(requireBuffer(value, 'heartbeat value'), 'heartbeat value')
  const sourceClusterAlias = k.string()
  const targetClusterAlias = k.string()
  v.int16() // version: v0 is the only layout; later versions only append
  return { sourceClusterAlias, targetClusterAlias, timestamp: v.int64() }
}
