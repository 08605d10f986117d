// kafkajs ships gzip only; Kafka clusters also use snappy, lz4 and zstd. This registers codecs
// built on the installed native packages. Snappy writes raw blocks (as librdkafka does) and reads
// both raw blocks and the xerial framing the Java client writes. LZ4 is the LZ4 frame format
// Kafka uses since message format v1.
import { CompressionCodecs, CompressionTypes } from 'kafkajs'

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])

/** Decompresses a snappy payload that is either one raw block or xerial-framed blocks. */
export function snappyDecompress(buf: Buffer): Buffer {
  const snappy = require('snappy') as { uncompressSync(b: Buffer, o?: { asBuffer: boolean }): Buffer | string }
  const raw = (b: Buffer): Buffer => snappy.uncompressSync(b, { asBuffer: true }) as Buffer
  if (buf.length < 16 || !buf.subarray(0, 8).equals(XERIAL_MAGIC)) return raw(buf)
  const parts: Buffer[] = []
  let pos = 16 // magic(8) + version(4) + compatible version(4)
  while (pos + 4 <= buf.length) {
    const len = buf.readInt32BE(pos)
    pos += 4
    parts.push(raw(buf.subarray(pos, pos + len)))
    pos += len
  }
  return Buffer.concat(parts)
}

function snappyCodec(): KafkajsCodec {
  const snappy = require('snappy') as { compressSync(b: Buffer): Buffer }
  return {
    async compress(encoder) { return snappy.compressSync(encoder.buffer) },
    async decompress(buffer) { return snappyDecompress(buffer) },
  }
}

function lz4Codec(): KafkajsCodec {
  const lz4 = require('lz4-napi') as { compressFrameSync(b: Buffer): Buffer; decompressFrameSync(b: Buffer): Buffer }
  return {
    async compress(encoder) { return lz4.compressFrameSync(encoder.buffer) },
    async decompress(buffer) { return lz4.decompressFrameSync(buffer) },
  }
}

function zstdCodec(): KafkajsCodec {
  const zstd = require('@toondepauw/node-zstd') as {
    Encoder: new (level: number) => { encodeSync(b: Buffer): Buffer }
    Decoder: new () => { decodeSync(b: Buffer): Buffer }
  }
  const encoder = new zstd.Encoder(3) // zstd's default level, as Kafka's
  const decoder = new zstd.Decoder()
  return {
    async compress(encoder_) { return encoder.encodeSync(encoder_.buffer) },
    async decompress(buffer) { return decoder.decodeSync(buffer) },
  }
}

let registered = false

/** Registers snappy, lz4 and zstd in kafkajs's CompressionCodecs. Idempotent. */
export function registerKafkajsCodecs(): void {
  if (registered) return
  const codecs = CompressionCodecs as unknown as Record<number, () => KafkajsCodec>
  codecs[CompressionTypes.Snappy] = snappyCodec
  codecs[CompressionTypes.LZ4] = lz4Codec
  codecs[CompressionTypes.ZSTD] = zstdCodec
  registered = true
}
