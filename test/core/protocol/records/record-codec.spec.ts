import assert from 'node:assert/strict'
import { crc32c, crc32cJs, crc32cUpdate } from '../../../../core/protocol/records/crc32c'
import { checkBatch, readBatchHeader, setBaseOffset, setLogAppendTime, batchSpans } from '../../../../core/protocol/records/batch-header'
import { decodeBatch, decodeBatches, encodeBatch } from '../../../../core/protocol/records/record-codec'
import { Codec, compress, decompress } from '../../../../core/protocol/records/compression'

/* eslint-disable @typescript-eslint/no-require-imports */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')
const KDecoder = require('kafkajs/src/protocol/decoder')
const { Types } = require('kafkajs/src/protocol/message/compression')
const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C')

async function kafkajsEncode(compression: number): Promise<Buffer> {
  const records = [
    Record({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k0'), value: Buffer.from('v0'), headers: { h: 'x' } }),
    Record({ offsetDelta: 1, timestampDelta: 5, key: null, value: Buffer.from('v1') }),
    Record({ offsetDelta: 2, timestampDelta: 9, key: Buffer.from('k2'), value: null }),
  ]
  const enc = await RecordBatch({
    compression, firstOffset: require('kafkajs/src/utils/long').fromNumber(40), firstTimestamp: 1700000000000, maxTimestamp: 1700000000009,
    lastOffsetDelta: 2, producerId: require('kafkajs/src/utils/long').fromNumber(77), producerEpoch: 3, firstSequence: 10, records,
  })
  return enc.buffer as Buffer
}

describe('core/protocol/records', () => {
  it('crc32c matches the standard check value and kafkajs', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283)
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff))
    for (const n of [0, 1, 7, 8, 9, 63, 1000]) assert.equal(crc32c(data.subarray(0, n)), kafkajsCrc(data.subarray(0, n)))
    const big = Buffer.from(Array.from({ length: (1 << 20) + 777 }, (_, i) => (i * 7919) & 0xff))
    for (const [s, e] of [[0, 255], [0, 256], [3, 70_003], [1, big.length]]) { // WebAssembly path (chunked past 1 MiB) vs JavaScript
      assert.equal(crc32cUpdate(0, big, s, e), crc32cJs(0, big, s, e))
    }
    assert.equal(crc32c(big, 5, 40_000), kafkajsCrc(big.subarray(5, 40_000)))
    for (let skew = 1; skew < 8; skew++) { // unaligned starts inside the buffer and its ArrayBuffer
      assert.equal(crc32c(data, skew, 900 + skew), kafkajsCrc(data.subarray(skew, 900 + skew)))
      assert.equal(crc32c(data.subarray(skew)), kafkajsCrc(data.subarray(skew)))
    }
  })

  for (const [name, codec] of [['none', Types.None], ['gzip', Types.GZIP]] as const) {
    it(`decodes a batch encoded by kafkajs (${name})`, async () => {
      const buf = await kafkajsEncode(codec)
      assert.equal(checkBatch(buf, 0, buf.length, true).ok, true)
      const b = decodeBatch(buf)
      assert.equal(b.baseOffset, 40)
      assert.equal(b.producerId, 77)
      assert.equal(b.producerEpoch, 3)
      assert.equal(b.baseSequence, 10)
      assert.equal(b.compression, codec)
      assert.deepEqual(b.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null]), [
        [40, 1700000000000, 'k0', 'v0'], [41, 1700000000005, null, 'v1'], [42, 1700000000009, 'k2', null],
      ])
      assert.deepEqual(b.records[0].headers, [{ key: 'h', value: Buffer.from('x') }])
    })
  }

  it('kafkajs decodes batches we encode, every codec we can hand it', async () => {
    const buf = encodeBatch({
      baseOffset: 5, compression: Codec.gzip, producerId: 9, producerEpoch: 1, baseSequence: 0,
      records: [
        { key: 'a', value: 'one', timestamp: 1000, headers: [{ key: 'hk', value: Buffer.from('hv') }] },
        { key: null, value: Buffer.alloc(300, 7), timestamp: 1004 },
      ],
    })
    const decoded = await decodeKafkajsBatch(new KDecoder(buf))
    assert.equal(decoded.firstOffset, '5')
    assert.equal(decoded.records.length, 2)
    assert.equal(decoded.records[0].key.toString(), 'a')
    assert.equal(decoded.records[0].value.toString(), 'one')
    assert.equal(decoded.records[0].headers.hk.toString(), 'hv')
    assert.equal(decoded.records[1].offset, '6')
    assert.equal(decoded.records[1].timestamp, '1004')
    assert.equal(decoded.records[1].key, null)
    // And the bytes are exactly kafkajs's for the same uncompressed input.
    const ours = encodeBatch({ baseOffset: 40, producerId: 77, producerEpoch: 3, baseSequence: 10, partitionLeaderEpoch: 0,
      records: [
        { key: 'k0', value: 'v0', timestamp: 1700000000000, headers: [{ key: 'h', value: Buffer.from('x') }] },
        { key: null, value: 'v1', timestamp: 1700000000005 },
        { key: 'k2', value: null, timestamp: 1700000000009 },
      ] })
    assert.deepEqual(ours, await kafkajsEncode(Types.None))
  })

  it('round-trips every codec, including snappy in xerial framing and raw', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ key: `key-${i}`, value: Buffer.alloc(200, i), timestamp: 5000 + i }))
    for (const codec of [Codec.none, Codec.gzip, Codec.snappy, Codec.lz4, Codec.zstd]) {
      const buf = encodeBatch({ records, compression: codec })
      assert.equal(checkBatch(buf, 0, buf.length, true).ok, true, `codec ${codec}`)
      const b = decodeBatch(buf)
      assert.equal(b.records.length, 50)
      assert.equal(b.records[49].key?.toString(), 'key-49')
      assert.deepEqual(b.records[49].value, Buffer.alloc(200, 49))
    }
    const raw = require('snappy').compressSync(Buffer.from('hello snappy'))
    assert.equal(decompress(Codec.snappy, raw).toString(), 'hello snappy')
    assert.equal(decompress(Codec.snappy, compress(Codec.snappy, Buffer.alloc(100000, 3))).length, 100000)
  })

  it('detects a flipped byte, a wrong magic, a count that disagrees, a bad length', () => {
    const good = encodeBatch({ records: [{ value: 'x' }, { value: 'y' }] })
    const flip = Buffer.from(good); flip[flip.length - 1] ^= 1
    assert.equal(checkBatch(flip).problem, 'crc')
    const magic = Buffer.from(good); magic[16] = 1
    assert.equal(checkBatch(magic).problem, 'magic')
    const count = encodeBatch({ records: [{ value: 'x' }, { value: 'y' }], lastOffsetDelta: 5 })
    assert.equal(checkBatch(count).ok, true)
    assert.equal(checkBatch(count, 0, count.length, true).problem, 'count')
    assert.equal(checkBatch(good.subarray(0, good.length - 1)).problem, 'truncated')
    const long = Buffer.from(good); long.writeInt32BE(good.length, 8)
    assert.equal(checkBatch(long).problem, 'truncated')
  })

  it('rewrites baseOffset and LogAppendTime in place, keeping the CRC valid', () => {
    const buf = Buffer.concat([encodeBatch({ records: [{ value: 'a', timestamp: 10 }] }), encodeBatch({ records: [{ value: 'b', timestamp: 20 }, { value: 'c', timestamp: 30 }] })])
    const spans = batchSpans(buf)
    assert.equal(spans.length, 2)
    setBaseOffset(buf, spans[1].position, 123)
    setLogAppendTime(buf, spans[1].position, 999)
    assert.equal(checkBatch(buf, spans[1].position).ok, true)
    const h = readBatchHeader(buf, spans[1].position)
    assert.equal(h.baseOffset, 123)
    assert.equal(h.maxTimestamp, 999)
    const [, second] = decodeBatches(buf)
    assert.equal(second.logAppendTime, true)
    assert.deepEqual(second.records.map((r) => [r.offset, r.timestamp]), [[123, 999], [124, 999]])
  })
})
