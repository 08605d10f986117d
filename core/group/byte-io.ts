// Kafka's classic (non-flexible) primitives, just enough for the __consumer_offsets schemas:
// big-endian ints, int16-length strings (-1 = null) and int32-length bytes.

export class ByteWriter {
  private parts: Buffer[] = []

  int16(v: number): this { const b = Buffer.alloc(2); b.writeInt16BE(v); return this.push(b) }
  int32(v: number): this { const b = Buffer.alloc(4); b.writeInt32BE(v); return this.push(b) }
  int64(v: number): this { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); return this.push(b) }

  string(v: string | null): this {
    if (v === null) return this.int16(-1)
    const s = Buffer.from(v, 'utf8')
    return this.int16(s.length).push(s)
  }

  bytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1)
    return this.int32(v.length).push(v)
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts)
  }

  private push(b: Buffer): this {
    this.parts.push(b)
    return this
  }
}

export class ByteReader {
  private pos = 0

  constructor(private readonly buf: Buffer) {}

  int16(): number { this.need(2); const v = this.buf.readInt16BE(this.pos); this.pos += 2; return v }
  int32(): number { this.need(4); const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v }
  int64(): number { this.need(8); const v = Number(this.buf.readBigInt64BE(this.pos)); this.pos += 8; return v }

  string(): string {
    const s = this.nullableString()
    if (s === null) throw new RangeError(`null string at byte ${this.pos - 2}`)
    return s
  }

  nullableString(): string | null {
    const len = this.int16()
    if (len < 0) return null
    this.need(len)
    const s = this.buf.toString('utf8', this.pos, this.pos + len)
    this.pos += len
    return s
  }

  bytes(): Buffer {
    const b = this.nullableBytes()
    return b ?? Buffer.alloc(0)
  }

  nullableBytes(): Buffer | null {
    const len = this.int32()
    if (len < 0) return null
    this.need(len)
    const b = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return Buffer.from(b)
  }

  get remaining(): number {
    return this.buf.length - this.pos
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RangeError(`needed ${n} bytes at byte ${this.pos} of ${this.buf.length}`)
  }
}
