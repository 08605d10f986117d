// Collects an encoded message as chunks. Small values go into a growing scratch buffer; large
// Buffers (record batches) are appended by reference, and the frame is assembled once at the end.
import { EncodeError } from './errors'

const TWO_32 = 2 ** 32
/** Buffers at least this long are appended by reference instead of copied. */
const REFERENCE_THRESHOLD = 256
const MAX_SCRATCH = 64 * 1024

export class Writer {
  private readonly chunks: Buffer[] = []
  private buf: Buffer
  private pos = 0
  private start = 0
  private flushed = 0

  constructor(initialSize = 512) {
    this.buf = Buffer.allocUnsafe(initialSize)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + (this.pos - this.start)
  }

  private room(n: number): number {
    if (this.buf.length - this.pos < n) {
      this.flush()
      this.buf = Buffer.allocUnsafe(Math.max(n, Math.min(this.buf.length * 2, MAX_SCRATCH)))
      this.pos = 0
      this.start = 0
    }
    const at = this.pos
    this.pos += n
    return at
  }

  private flush(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos))
      this.flushed += this.pos - this.start
      this.start = this.pos
    }
  }

  // room() may swap this.buf, so it is always called before this.buf is read. Values are range
  // checked once by checkInt, then stored with plain byte arithmetic (Buffer's writers re-validate).
  int8(v: number): this { const at = this.room(1); this.buf[at] = checkInt(v, -128, 127, 'int8') & 0xff; return this }
  int16(v: number): this { return this.put16(checkInt(v, -32768, 32767, 'int16')) }
  uint16(v: number): this { return this.put16(checkInt(v, 0, 65535, 'uint16')) }
  int32(v: number): this { return this.put32(checkInt(v, -(2 ** 31), 2 ** 31 - 1, 'int32')) }
  uint32(v: number): this { return this.put32(checkInt(v, 0, 2 ** 32 - 1, 'uint32')) }
  float64(v: number): this { const at = this.room(8); this.buf.writeDoubleBE(v, at); return this }
  bool(v: boolean): this { const at = this.room(1); this.buf[at] = v ? 1 : 0; return this }

  int64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new EncodeError(`int64 value ${v} is not a safe integer`)
    const hi = Math.floor(v / TWO_32)
    return this.put32(hi).put32(v - hi * TWO_32)
  }

  private put16(v: number): this {
    const at = this.room(2)
    const b = this.buf
    b[at] = (v >>> 8) & 0xff
    b[at + 1] = v & 0xff
    return this
  }

  /** Stores the low 32 bits of v (signed or unsigned) big-endian. */
  private put32(v: number): this {
    const at = this.room(4)
    const b = this.buf
    b[at] = (v >>> 24) & 0xff
    b[at + 1] = (v >>> 16) & 0xff
    b[at + 2] = (v >>> 8) & 0xff
    b[at + 3] = v & 0xff
    return this
  }

  uvarint(v: number): this {
    checkInt(v, 0, 2 ** 32 - 1, 'unsigned varint')
    return this.uvarlong(v)
  }

  varint(v: number): this {
    checkInt(v, -(2 ** 31), 2 ** 31 - 1, 'varint')
    return this.uvarlong(v >= 0 ? v * 2 : -v * 2 - 1)
  }

  uvarlong(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new EncodeError(`unsigned varlong value ${v} is out of range`)
    let at = this.room(varintSize(v))
    while (v >= 0x80) {
      this.buf[at++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    this.buf[at] = v
    return this
  }

  varlong(v: number): this {
    if (!Number.isSafeInteger(v)) throw new EncodeError(`varlong value ${v} is not a safe integer`)
    if (Math.abs(v) < 2 ** 52) return this.uvarlong(v >= 0 ? v * 2 : -v * 2 - 1)
    // Zigzag of values near 2^53 needs 54 bits: do it exactly in BigInt.
    const b = BigInt(v)
    let z = b >= 0n ? b << 1n : (-b << 1n) - 1n
    while (z >= 0x80n) {
      const at = this.room(1)
      this.buf[at] = Number(z & 0x7fn) | 0x80
      z >>= 7n
    }
    const at = this.room(1)
    this.buf[at] = Number(z)
    return this
  }

  uuid(v: Buffer): this {
    if (!Buffer.isBuffer(v) || v.length !== 16) throw new EncodeError('uuid must be a 16-byte Buffer')
    const at = this.room(16)
    v.copy(this.buf, at)
    return this
  }

  /** Appends bytes: small ones copied, large ones kept by reference (no copy until assembly). */
  raw(b: Buffer): this {
    if (b.length < REFERENCE_THRESHOLD) {
      const at = this.room(b.length)
      b.copy(this.buf, at)
    } else {
      this.flush()
      this.chunks.push(b)
      this.flushed += b.length
    }
    return this
  }

  utf8(s: string, byteLength: number): this {
    const at = this.room(byteLength)
    this.buf.write(s, at, byteLength, 'utf8')
    return this
  }

  /** Appends another writer's content (used for tagged fields, whose size precedes them). */
  append(other: Writer): this {
    this.flush()
    for (const c of other.toChunks()) this.chunks.push(c)
    this.flushed += other.length
    return this
  }

  /** The chunks written, in order (for writev-style socket writes). */
  toChunks(): Buffer[] {
    this.flush()
    return this.chunks
  }

  /** The whole message as one Buffer (one copy, or none if it is already one chunk). */
  toBuffer(): Buffer {
    const chunks = this.toChunks()
    if (chunks.length === 1) return chunks[0]
    return Buffer.concat(chunks, this.flushed)
  }

  /** The message prefixed with its int32 size: a complete Kafka frame. */
  toFrame(): Buffer {
    const chunks = this.toChunks()
    const out = Buffer.allocUnsafe(4 + this.flushed)
    out.writeInt32BE(this.flushed, 0)
    let at = 4
    for (const c of chunks) at += c.copy(out, at)
    return out
  }
}

export function varintSize(v: number): number {
  let n = 1
  while (v >= 0x80) {
    v = Math.floor(v / 0x80)
    n++
  }
  return n
}

function checkInt(v: number, min: number, max: number, type: string): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new EncodeError(`${type} value ${v} is out of range [${min}, ${max}]`)
  return v
}
