import assert from 'node:assert/strict'
import {
  decodeCheckpoint, decodeHeartbeat, decodeOffsetSync, encodeCheckpointKey, encodeCheckpointValue,
  encodeHeartbeatKey, encodeHeartbeatValue, encodeOffsetSyncKey, encodeOffsetSyncValue,
} from '../../../mirror/formats'
import { MirrorFormatError } from '../../../mirror/errors'

// Golden bytes written out by hand from MM2's layouts: STRING = int16 length + UTF-8, big-endian ints.
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')

describe('mirror/formats', () => {
  it('heartbeat key and value', () => {
    const key = encodeHeartbeatKey({ sourceClusterAlias: 'A', targetClusterAlias: 'BB' })
    assert.deepEqual(key, hex('0001 41  0002 4242'))
    const value = encodeHeartbeatValue({ timestamp: 0x0102030405 })
    assert.deepEqual(value, hex('0000  0000000102030405'))
    assert.deepEqual(decodeHeartbeat(key, value), { sourceClusterAlias: 'A', targetClusterAlias: 'BB', timestamp: 0x0102030405 })
  })

  it('checkpoint key and value', () => {
    const key = encodeCheckpointKey({ consumerGroupId: 'g1', topic: 'A.t', partition: 258 })
    assert.deepEqual(key, hex('0002 6731  0003 412e74  00000102'))
    const value = encodeCheckpointValue({ upstreamOffset: 7, offset: 65536, metadata: 'm' })
    assert.deepEqual(value, hex('0000  0000000000000007  0000000000010000  0001 6d'))
    assert.deepEqual(decodeCheckpoint(key, value), {
      consumerGroupId: 'g1', topic: 'A.t', partition: 258, upstreamOffset: 7, offset: 65536, metadata: 'm',
    })
  })

  it('checkpoint with empty metadata and UTF-8 group names', () => {
    const key = encodeCheckpointKey({ consumerGroupId: 'é', topic: 't', partition: 0 })
    assert.deepEqual(key, hex('0002 c3a9  0001 74  00000000'))
    assert.deepEqual(encodeCheckpointValue({ upstreamOffset: 0, offset: 0, metadata: '' }), hex('0000 0000000000000000 0000000000000000 0000'))
  })

  it('offset sync key and value', () => {
    const key = encodeOffsetSyncKey({ topic: 'orders', partition: 3 })
    assert.deepEqual(key, hex('0006 6f7264657273  00000003'))
    const value = encodeOffsetSyncValue({ upstreamOffset: 100, downstreamOffset: 2 ** 40 })
    assert.deepEqual(value, hex('0000000000000064  0000010000000000'))
    assert.deepEqual(decodeOffsetSync(key, value), { topic: 'orders', partition: 3, upstreamOffset: 100, downstreamOffset: 2 ** 40 })
  })

  it('rejects truncated and null records with a typed error naming the field', () => {
    assert.throws(() => decodeOffsetSync(hex('0006 6f72'), hex('')), (e: unknown) => e instanceof MirrorFormatError && /offset sync key is truncated/.test((e as Error).message))
    assert.throws(() => decodeHeartbeat(null, hex('00')), /heartbeat key is missing/)
  })
})
