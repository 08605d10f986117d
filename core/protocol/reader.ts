// A cursor over one Buffer. Nothing is copied except strings and uuids: bytes and records
// fields are subarray views of the frame. Every length is checked against the bytes left, so a
// corrupt count can never make us allocate more than the frame itself.
import { DecodeError } from './errors'

const TWO_32 = 2 ** 32

export class Reader {
  offset: number
  readonly end: number

  constructor(readonly buf: Buffer, offset = 0, end = buf.length) {
    this.offset = offset
    this.end = end
  }

  get remaining(): number {
    return this.end - this.offset
  }

  private need(n: number): number {
    if (n > this.end - this.offset) {
      throw new DecodeError(`needs ${n} bytes at offset ${this.offset} but only ${this.end - this.offset} remain`)
    }
    const at = this.offset
    this.offset += n
    return at
  }

  // Bounds are checked by need(), so plain byte arithmetic replaces Buffer's re-validating readers.
  int8(): number { return (this.buf[this.need(1)] << 24) >> 24 }
  int16(): number { const b = this.buf, at = this.need(2); return ((b[at] << 24) | (b[at + 1] << 16)) >> 16 }
  uint16(): number { const b = this.buf, at = this.need(2); return (b[at] << 8) | b[at + 1] }
  int32(): number { const b = this.buf, at = this.need(4); return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3] }
  uint32(): number { return this.int32() >>> 0 }
  float64(): number { return this.buf.readDoubleBE(this.need(8)) }
  bool(): boolean { return this.buf[this.need(1)] !== 0 }

  /** int64 as a JS number; values beyond ±(2^53-1) are refused rather than silently rounded. */
  int64(): number {
    const b = this.buf
    const at = this.need(8)
    const hi = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]
    const lo = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0
    const value = hi * TWO_32 + lo
    if (!Number.isSafeInteger(value)) {
      throw new DecodeError(`int64 ${this.buf.readBigInt64BE(at)} is beyond JavaScript's safe integer range`)
    }
    return value
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes). */
  uvarint(): number {
    let value = 0
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.need(1)]
      value += (b & 0x7f) * 2 ** (7 * i)
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new DecodeError(`varint ${value} exceeds 32 bits`)
        return value
      }
    }
    throw new DecodeError('varint longer than 5 bytes')
  }

  /** Zigzag-encoded signed 32-bit varint. */
  varint(): number {
    const u = this.uvarint()
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2
  }

  /** Unsigned varlong (up to 10 bytes); refused if beyond the safe integer range. */
  uvarlong(): number {
    const value = this.rawVarlong()
    if (value > Number.MAX_SAFE_INTEGER) throw new DecodeError('varlong is beyond the safe integer range')
    return value
  }

  /** Zigzag-encoded signed varlong. */
  varlong(): number {
    const start = this.offset
    const u = this.rawVarlong()
    if (u <= Number.MAX_SAFE_INTEGER) return u % 2 === 0 ? u / 2 : -(u + 1) / 2
    // Zigzag values near ±2^53 need 54 bits: decode those exactly with BigInt.
    this.offset = start
    let z = 0n
    for (let i = 0n; ; i += 7n) {
      const b = BigInt(this.buf[this.need(1)])
      z |= (b & 0x7fn) << i
      if ((b & 0x80n) === 0n) break
    }
    const value = Number((z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n))
    if (!Number.isSafeInteger(value)) throw new DecodeError('varlong is beyond the safe integer range')
    return value
  }

  /** A varlong as a (possibly rounded) number; at most 10 bytes. */
  private rawVarlong(): number {
    let value = 0
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1)]
      value += (b & 0x7f) * 2 ** (7 * i)
      if ((b & 0x80) === 0) return value
    }
    throw new DecodeError('varlong longer than 10 bytes')
  }

  /** A copy (uuids outlive the frame in maps and logs). */
  uuid(): Buffer {
    const at = this.need(16)
    return Buffer.from(this.buf.subarray(at, at + 16))
  }

  /** A view of the next n bytes (no copy). */
  slice(n: number): Buffer {
    if (n < 0) throw new DecodeError(`negative length ${n}`)
    const at = this.need(n)
    return this.buf.subarray(at, at + n)
  }

  utf8(n: number): string {
    if (n < 0) throw new DecodeError(`negative length ${n}`)
    const at = this.need(n)
    return this.buf.toString('utf8', at, at + n)
  }

  /**
   * Checks an element count against the bytes left, given the fewest bytes one element can take
   * on the wire (at least 1 is assumed), so a corrupt count cannot make us allocate beyond the frame.
   */
  count(n: number, what: string, minElementBytes = 1): number {
    if (n < 0) throw new DecodeError(`negative ${what} count ${n}`)
    if (n * Math.max(1, minElementBytes) > this.end - this.offset) {
      throw new DecodeError(`${what} count ${n} exceeds the ${this.end - this.offset} bytes remaining`)
    }
    return n
  }

  skip(n: number): void {
    this.need(n)
  }
}
