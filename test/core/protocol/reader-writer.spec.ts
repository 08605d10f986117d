import * as assert from 'node:assert/strict'
import { DecodeError, EncodeError } from '../../../core/protocol/errors'
import { Reader } from '../../../core/protocol/reader'
import { Writer } from '../../../core/protocol/writer'

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')
const written = (f: (w: Writer) => void) => {
  const w = new Writer(4)
  f(w)
  return w.toBuffer().toString('hex')
}

describe('core/protocol/reader + writer', () => {
  it('unsigned varints match the LEB128 golden bytes', () => {
    const cases: [number, string][] = [[0, '00'], [1, '01'], [127, '7f'], [128, '8001'], [300, 'ac02'], [16384, '808001'], [2 ** 32 - 1, 'ffffffff0f']]
    for (const [v, bytes] of cases) {
      assert.equal(written((w) => w.uvarint(v)), bytes, `uvarint ${v}`)
      assert.equal(new Reader(hex(bytes)).uvarint(), v)
    }
  })

  it('zigzag varints and varlongs match golden bytes', () => {
    const ints: [number, string][] = [[0, '00'], [-1, '01'], [1, '02'], [-2, '03'], [63, '7e'], [-64, '7f'], [64, '8001'], [2 ** 31 - 1, 'feffffff0f'], [-(2 ** 31), 'ffffffff0f']]
    for (const [v, bytes] of ints) {
      assert.equal(written((w) => w.varint(v)), bytes, `varint ${v}`)
      assert.equal(new Reader(hex(bytes)).varint(), v)
    }
    const longs: [number, string][] = [[-1, '01'], [1, '02'], [2 ** 53 - 1, 'feffffffffffff1f'], [-(2 ** 53 - 1), 'fdffffffffffff1f'], [1700000000000, '80a0abfef962']]
    for (const [v, bytes] of longs) {
      assert.equal(written((w) => w.varlong(v)), bytes, `varlong ${v}`)
      assert.equal(new Reader(hex(bytes)).varlong(), v)
    }
  })

  it('refuses overlong varints', () => {
    assert.throws(() => new Reader(hex('ffffffffff01')).uvarint(), DecodeError)
    assert.throws(() => new Reader(hex('ffffffff1f')).uvarint(), /exceeds 32 bits/)
    assert.throws(() => new Reader(hex('ffffffffffffffffff7f')).varlong(), /safe integer/)
    assert.throws(() => new Reader(hex('80')).uvarint(), /needs 1 bytes/)
  })

  it('int64 round-trips safe integers and refuses unsafe ones both ways', () => {
    assert.equal(written((w) => w.int64(-1)), 'ffffffffffffffff')
    assert.equal(written((w) => w.int64(2 ** 53 - 1)), '001fffffffffffff')
    assert.equal(written((w) => w.int64(-(2 ** 32) - 5)), 'fffffffefffffffb')
    assert.equal(new Reader(hex('fffffffefffffffb')).int64(), -(2 ** 32) - 5)
    assert.equal(new Reader(hex('001fffffffffffff')).int64(), 2 ** 53 - 1)
    assert.throws(() => new Reader(hex('7fffffffffffffff')).int64(), /9223372036854775807 is beyond/)
    assert.throws(() => new Writer().int64(2 ** 53), EncodeError)
    assert.throws(() => new Writer().int64(1.5), EncodeError)
  })

  it('fixed-width integers, floats and booleans use big-endian golden bytes', () => {
    assert.equal(written((w) => w.int8(-2).int16(-2).int32(258).uint32(2 ** 32 - 1).uint16(65535).bool(true).bool(false)), 'fefffe00000102ffffffffffff0100')
    assert.equal(written((w) => w.float64(1.5)), '3ff8000000000000')
    const r = new Reader(hex('fefffe00000102ffffffffffff0100'))
    assert.deepEqual([r.int8(), r.int16(), r.int32(), r.uint32(), r.uint16(), r.bool(), r.bool()], [-2, -2, 258, 2 ** 32 - 1, 65535, true, false])
    assert.throws(() => new Writer().int16(40000), /int16 value 40000 is out of range/)
  })

  it('uuids are 16-byte Buffers, copied out of the frame', () => {
    const frame = hex('000102030405060708090a0b0c0d0e0f')
    const id = new Reader(frame).uuid()
    frame[0] = 0xff
    assert.equal(id.toString('hex'), '000102030405060708090a0b0c0d0e0f')
    assert.throws(() => new Writer().uuid(Buffer.alloc(15)), /16-byte/)
  })

  it('slices are views of the frame, not copies', () => {
    const frame = hex('00112233')
    const s = new Reader(frame, 1).slice(2)
    assert.equal(s.buffer, frame.buffer)
    assert.equal(s.byteOffset, frame.byteOffset + 1)
    assert.throws(() => new Reader(frame).slice(5), /needs 5 bytes at offset 0 but only 4 remain/)
  })

  it('bounds element counts by the bytes remaining', () => {
    const r = new Reader(Buffer.alloc(10))
    assert.equal(r.count(10, 'array'), 10)
    assert.throws(() => r.count(11, 'array'), /array count 11 exceeds the 10 bytes remaining/)
    assert.throws(() => r.count(-5, 'array'), /negative array count/)
  })

  it('appends large buffers by reference and assembles the frame once', () => {
    const big = Buffer.alloc(4096, 7)
    const w = new Writer(16).int32(1).raw(big).int16(2)
    const chunks = w.toChunks()
    assert.equal(chunks.length, 3)
    assert.equal(chunks[1], big, 'the record buffer itself, not a copy')
    const frame = w.toFrame()
    assert.equal(frame.readInt32BE(0), 4 + 4096 + 2)
    assert.equal(frame.length, 4 + 4 + 4096 + 2)
    assert.equal(frame.readInt16BE(frame.length - 2), 2)
  })

  it('grows its scratch buffer across many small writes', () => {
    const w = new Writer(8)
    for (let i = 0; i < 10000; i++) w.int32(i)
    const b = w.toBuffer()
    assert.equal(b.length, 40000)
    for (let i = 0; i < 10000; i += 997) assert.equal(b.readInt32BE(i * 4), i)
  })
})
