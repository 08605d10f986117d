import assert from 'node:assert/strict'
import { CompressionCodecs, CompressionTypes } from 'kafkajs'
import { registerKafkajsCodecs, snappyDecompress } from '../../../connectors/kafka/codecs'

describe('connectors/kafka/codecs', () => {
  before(() => registerKafkajsCodecs())
  const payload = Buffer.from('godwit '.repeat(1000) + 'end')

  for (const [name, type] of [['snappy', CompressionTypes.Snappy], ['lz4', CompressionTypes.LZ4], ['zstd', CompressionTypes.ZSTD]] as const) {
    it(`round-trips ${name} through kafkajs's codec table`, async () => {
      const codec = (CompressionCodecs as unknown as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>)[type]()
      const packed = await codec.compress({ buffer: payload })
      assert.ok(packed.length < payload.length / 5, `${name} compressed ${payload.length} to ${packed.length}`)
      assert.deepEqual(await codec.decompress(packed), payload)
    })
  }

  it('lz4 writes the LZ4 frame format (magic 0x184D2204)', async () => {
    const codec = (CompressionCodecs as unknown as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer> }>)[CompressionTypes.LZ4]()
    const packed = await codec.compress({ buffer: payload })
    assert.equal(packed.readUInt32LE(0), 0x184d2204)
  })

  it('snappy reads the xerial framing the Java client writes', () => {
    const snappy = require('snappy') as { compressSync(b: Buffer): Buffer }
    const a = payload.subarray(0, 3000)
    const b = payload.subarray(3000)
    const chunk = (x: Buffer): Buffer => { const c = snappy.compressSync(x); const l = Buffer.alloc(4); l.writeInt32BE(c.length); return Buffer.concat([l, c]) }
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])
    assert.deepEqual(snappyDecompress(Buffer.concat([header, chunk(a), chunk(b)])), payload)
  })
})
