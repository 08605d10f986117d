import * as assert from 'node:assert/strict'
import {
  decodeGroupValue, decodeKey, decodeOffsetValue, encodeGroupKey, encodeGroupValue, encodeOffsetKey, encodeOffsetValue,
} from '../../../core/group/offset-records'
import { OffsetLogRecordError } from '../../../core/group'

describe('core/group/offset-records (__consumer_offsets schemas)', () => {
  it('writes an offset commit key as version 1 {group, topic, partition}', () => {
    const key = encodeOffsetKey('g', 'tp', 3)
    assert.equal(key.toString('hex'), '0001' + '0001' + '67' + '0002' + '7470' + '00000003')
    assert.deepEqual(decodeKey(key), { kind: 'offset', group: 'g', topic: 'tp', partition: 3 })
  })

  it('writes a group metadata key as version 2 {group}', () => {
    const key = encodeGroupKey('g')
    assert.equal(key.toString('hex'), '0002000167')
    assert.deepEqual(decodeKey(key), { kind: 'group', group: 'g' })
  })

  it('writes offset values as version 3 {offset, leaderEpoch, metadata, commitTimestamp}', () => {
    const v = encodeOffsetValue({ offset: 2 ** 40, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1_700_000_000_000 })
    assert.equal(v.toString('hex'), '0003' + '0000010000000000' + '00000005' + '00016d' + (1_700_000_000_000).toString(16).padStart(16, '0'))
    assert.deepEqual(decodeOffsetValue(v), { offset: 2 ** 40, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1_700_000_000_000 })
  })

  it('writes version 1 (with the expire timestamp) when a commit carries a retention time', () => {
    const v = encodeOffsetValue({ offset: 7, leaderEpoch: -1, metadata: '', commitTimestamp: 100, expireTimestamp: 200 })
    assert.equal(v.readInt16BE(0), 1)
    assert.deepEqual(decodeOffsetValue(v), { offset: 7, leaderEpoch: -1, metadata: '', commitTimestamp: 100, expireTimestamp: 200 })
  })

  it('reads offset value version 0 as Kafka 0.9 wrote it', () => {
    const v0 = Buffer.from('0000' + '000000000000000a' + '0000' + '0000000000000064', 'hex')
    assert.deepEqual(decodeOffsetValue(v0), { offset: 10, leaderEpoch: -1, metadata: '', commitTimestamp: 100 })
  })

  it('round-trips group metadata value version 3 and reads version 0', () => {
    const value = {
      protocolType: 'consumer', generation: 4, protocol: 'range', leader: 'm1', currentStateTimestamp: 99,
      members: [{ memberId: 'm1', groupInstanceId: 'i1', clientId: 'c', clientHost: '/h', rebalanceTimeoutMs: 300, sessionTimeoutMs: 100, subscription: Buffer.from([1, 2]), assignment: Buffer.from([3]) }],
    }
    const bytes = encodeGroupValue(value)
    assert.equal(bytes.readInt16BE(0), 3)
    assert.deepEqual(decodeGroupValue(bytes), value)
    const v0 = Buffer.from('0000' + '0008' + Buffer.from('consumer').toString('hex') + '00000001' + 'ffff' + 'ffff' + '00000000', 'hex')
    assert.deepEqual(decodeGroupValue(v0), { protocolType: 'consumer', generation: 1, protocol: null, leader: null, currentStateTimestamp: -1, members: [] })
  })

  it('rejects unknown versions and truncated records with a typed error', () => {
    assert.throws(() => decodeKey(Buffer.from('0009', 'hex')), OffsetLogRecordError)
    assert.throws(() => decodeOffsetValue(Buffer.from('0003000000', 'hex')), /malformed __consumer_offsets offset value/)
  })
})
