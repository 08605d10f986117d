// Record compression codecs by Kafka's attribute ids. Native packages are loaded lazily so a
// process that never meets a codec never loads it. Snappy is written in xerial framing (what
// Kafka's Java client writes and every client reads); raw snappy is accepted on input too.
import * as zlib from 'node:zlib'

export const Codec = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const
export type CodecId = 0 | 1 | 2 | 3 | 4
export const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER = 16
const XERIAL_BLOCK = 32 * 1024

/* eslint-disable @typescript-eslint/no-require-imports */
let snappyMod: { compressSync(b: Buffer): Buffer; uncompressSync(b: Buffer, o?: { asBuffer?: boolean }): string | Buffer } | undefined
let lz4Mod: { compressFrameSync(b: Buffer): Buffer; decompressFrameSync(b: Buffer): Buffer } | undefined
let zstdMod: { Encoder: new (level: number) => { encodeSync(b: Buffer): Buffer }; Decoder: new () => { decodeSync(b: Buffer): Buffer } } | undefined
const snappy = () => (snappyMod ??= require('snappy'))!
const lz4 = () => (lz4Mod ??= require('lz4-napi'))!
const zstd = () => (zstdMod ??= require('@toondepauw/node-zstd'))!

export function codecName(codec: number): string {
  return CODEC_NAMES[codec] ?? `unknown(${codec})`
}

export function compress(codec: number, buf: Buffer): Buffer {
  switch (codec) {
    case Codec.none: return buf
    case Codec.gzip: return zlib.gzipSync(buf)
    case Codec.snappy: return xerialCompress(buf)
    case Codec.lz4: return lz4().compressFrameSync(buf)
    case Codec.zstd: return new (zstd().Encoder)(3).encodeSync(buf)
    default: throw new RangeError(`unknown compression codec id ${codec}`)
  }
}

export function decompress(codec: number, buf: Buffer): Buffer {
  switch (codec) {
    case Codec.none: return buf
    case Codec.gzip: return zlib.gunzipSync(buf)
    case Codec.snappy: return snappyDecompress(buf)
    case Codec.lz4: return lz4().decompressFrameSync(buf)
    case Codec.zstd: return new (zstd().Decoder)().decodeSync(buf)
    default: throw new RangeError(`unknown compression codec id ${codec}`)
  }
}

function xerialCompress(buf: Buffer): Buffer {
  const parts: Buffer[] = [XERIAL_MAGIC, int32(1), int32(1)]
  for (let pos = 0; pos < buf.length; pos += XERIAL_BLOCK) {
    const block = snappy().compressSync(buf.subarray(pos, Math.min(buf.length, pos + XERIAL_BLOCK)))
    parts.push(int32(block.length), block)
  }
  return Buffer.concat(parts)
}

function snappyDecompress(buf: Buffer): Buffer {
  const raw = (b: Buffer) => snappy().uncompressSync(b, { asBuffer: true }) as Buffer
  if (buf.length < XERIAL_HEADER || !buf.subarray(0, 8).equals(XERIAL_MAGIC)) return raw(buf)
  const parts: Buffer[] = []
  let pos = XERIAL_HEADER
  while (pos + 4 <= buf.length) {
    const len = buf.readInt32BE(pos)
    pos += 4
    if (len < 0 || pos + len > buf.length) throw new RangeError('xerial snappy block runs past the end of the data')
    parts.push(raw(buf.subarray(pos, pos + len)))
    pos += len
  }
  return Buffer.concat(parts)
}

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4)
  b.writeInt32BE(n, 0)
  return b
}
