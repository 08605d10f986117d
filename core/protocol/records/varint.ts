// Zigzag varints of Kafka's record format. varlong uses arithmetic, not bit operations, so
// values up to 2^53 (timestamps, offsets) survive.

export function sizeOfVarint(n: number): number {
  let v = n >= 0 ? n * 2 : -n * 2 - 1
  let size = 1
  while (v >= 128) { v = Math.floor(v / 128); size++ }
  return size
}

/** Writes zigzag(n) at pos; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, n: number): number {
  let v = n >= 0 ? n * 2 : -n * 2 - 1
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80
    v = Math.floor(v / 128)
  }
  buf[pos++] = v
  return pos
}

export class VarintReader {
  constructor(readonly buf: Buffer, public pos: number, readonly end: number = buf.length) {}

  varint(): number {
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('varint runs past the end of the record')
      const b = this.buf[this.pos++]
      result += (b & 0x7f) * mul
      if ((b & 0x80) === 0) return result % 2 === 0 ? result / 2 : -(result + 1) / 2
      mul *= 128
    }
    throw new RangeError('varint longer than 10 bytes')
  }

  int8(): number {
    if (this.pos >= this.end) throw new RangeError('record runs past its end')
    return this.buf.readInt8(this.pos++)
  }

  /** Bytes with a varint length; -1 means null. Returns a view, not a copy. */
  bytes(): Buffer | null {
    const len = this.varint()
    if (len < 0) return null
    if (this.pos + len > this.end) throw new RangeError(`field of ${len} bytes runs past the end of the record`)
    const b = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return b
  }
}
