// The Kafka protocol primitives MM2's records use: STRING is an int16 length then UTF-8 bytes,
// integers are big-endian. A tiny writer/reader pair so each record layout reads like its grammar.
import { MirrorFormatError } from '../errors'

export class WireWriter {
  private readonly parts: Buffer[] = []

  int16(v: number): this { const b = Buffer.alloc(2); b.writeInt16BE(v); this.parts.push(b); return this }
  int32(v: number): this { const b = Buffer.alloc(4); b.writeInt32BE(v); this.parts.push(b); return this }
  int64(v: number): this { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); this.parts.push(b); return this }
  string(v: string): this {
    const s = Buffer.from(v, 'utf8')
    if (s.length > 0x7fff) throw new MirrorFormatError(`string of ${s.length} bytes is too long for a Kafka STRING (max 32767)`)
    return this.int16(s.length).bytes(s)
  }
  bytes(b: Buffer): this { this.parts.push(b); return this }
  build(): Buffer { return Buffer.concat(this.parts) }
}

export class WireReader {
  private pos = 0
  constructor(private readonly buf: Buffer, private readonly what: string) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new MirrorFormatError(`${this.what} is truncated: needed ${n} more bytes at byte ${this.pos} of ${this.buf.length}`)
    }
  }
  int16(): number { this.need(2); const v = this.buf.readInt16BE(this.pos); this.pos += 2; return v }
  int32(): number { this.need(4); const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v }
  int64(): number {
    this.need(8)
    const v = this.buf.readBigInt64BE(this.pos)
    this.pos += 8
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new MirrorFormatError(`${this.what} holds ${v}, beyond the safe integer range`)
    }
    return Number(v)
  }
  string(): string {
    const n = this.int16()
    if (n < 0) throw new MirrorFormatError(`${this.what} has a null STRING where a value is required`)
    this.need(n)
    const s = this.buf.toString('utf8', this.pos, this.pos + n)
    this.pos += n
    return s
  }
  /** MM2 ignores trailing bytes (newer versions may append fields); so do we. */
  done(): void {}
}

export function requireBuffer(b: Buffer | null | undefined, what: string): Buffer {
  if (b === null || b === undefined) throw new MirrorFormatError(`${what} is missing (null)`)
  return b
}
