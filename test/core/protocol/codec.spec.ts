import * as assert from 'node:assert/strict'
import { decodeStruct, encodeStruct } from '../../../core/protocol/codec'
import { DecodeError, EncodeError } from '../../../core/protocol/errors'
import { Reader } from '../../../core/protocol/reader'
import { arrayOf, field, struct, versionRange } from '../../../core/protocol/schema'
import { Writer } from '../../../core/protocol/writer'

// A made-up message exercising every schema feature: v0-1 classic, v2+ flexible.
const Example = struct(
  field('name', 'string'),
  field('note', 'string', { v: '1+', nullable: '1+', default: null }),
  field('count', 'int32', { default: -1 }),
  field('items', arrayOf(struct(field('id', 'int16'), field('data', 'bytes', { nullable: '0+' })))),
  field('ids', arrayOf('int32'), { nullable: '2+' }),
  field('epoch', 'int64', { v: '2+', tag: 0, default: -1 }),
  field('labels', arrayOf('string'), { v: '2+', tag: 5 }),
)

const encode = (value: unknown, v: number) => {
  const w = new Writer()
  encodeStruct(w, Example, value, v, v >= 2)
  return w.toBuffer().toString('hex')
}
const decode = (h: string, v: number) => {
  const r = new Reader(Buffer.from(h, 'hex'))
  const out = decodeStruct(r, Example, v, v >= 2)
  assert.equal(r.remaining, 0)
  return out
}

describe('core/protocol/codec', () => {
  it('parses Kafka version specs', () => {
    assert.deepEqual(versionRange('3+'), { min: 3, max: Infinity })
    assert.deepEqual(versionRange('1-4'), { min: 1, max: 4 })
    assert.deepEqual(versionRange('2'), { min: 2, max: 2 })
    assert.ok(versionRange('none').min > versionRange('none').max)
  })

  it('encodes classic versions with int16 strings and int32 arrays, skipping absent fields', () => {
    const value = { name: 'ab', note: 'x', count: 7, items: [{ id: 1, data: Buffer.from('ff', 'hex') }], ids: [9], epoch: 5 }
    // v0: name, count, items, ids (note is v1+, epoch is v2+)
    assert.equal(encode(value, 0), '00026162' + '00000007' + '00000001' + '0001' + '00000001ff' + '00000001' + '00000009')
    // v1 adds the nullable note between name and count; null is int16 -1
    assert.equal(encode({ ...value, note: null }, 1), '00026162' + 'ffff' + '00000007' + '00000001000100000001ff' + '0000000100000009')
  })

  it('encodes flexible versions with compact forms and a tagged-field section', () => {
    const value = { name: 'ab', note: null, count: 7, items: [{ id: 1, data: null }], ids: null, epoch: 5, labels: [] }
    const expected =
      '03' + '6162' + // compact string: length + 1
      '00' + // null compact string
      '00000007' +
      '02' + '0001' + '00' + '00' + // compact array of 1; bytes null; struct's empty tag section
      '00' + // null compact array
      '01' + '00' + '08' + '0000000000000005' // one tagged field: tag 0, 8 bytes; labels is default so omitted
    assert.equal(encode(value, 2), expected)
    assert.deepEqual(decode(expected, 2), value)
  })

  it('fills absent and default tagged fields with their defaults on decode', () => {
    const v0 = decode('00026162' + '00000007' + '00000000' + '00000000', 0)
    assert.deepEqual(v0, { name: 'ab', count: 7, items: [], ids: [], note: null, epoch: -1, labels: [] })
    const v2 = decode('036162' + '00' + '00000007' + '01' + '01' + '00', 2)
    assert.equal(v2.epoch, -1)
    assert.deepEqual(v2.labels, [])
  })

  it('skips unknown tags and reads known ones in any order', () => {
    const tags = '03' + '07' + '02' + 'abcd' + '05' + '03' + '020278' + '00' + '08' + '000000000000000a'
    const v = decode('036162' + '00' + '00000007' + '01' + '01' + tags, 2)
    assert.equal(v.epoch, 10)
    assert.deepEqual(v.labels, ['x'])
  })

  it('uses defaults for undefined fields on encode', () => {
    assert.equal(encode({ name: 'ab', items: [], ids: [] }, 0), '00026162' + 'ffffffff' + '00000000' + '00000000')
  })

  it('refuses null where a version does not allow it, naming the field', () => {
    assert.throws(() => encode({ name: 'a', items: [], ids: null }, 1), (e: unknown) => e instanceof EncodeError && /ids: null is not allowed/.test((e as Error).message))
    assert.throws(() => decode('00026162' + 'ffff' + '00000007' + '00000000' + 'ffffffff', 1), (e: unknown) => {
      assert.ok(e instanceof DecodeError)
      assert.equal(e.describe(), 'ids: null array where the field is not nullable')
      return true
    })
  })

  it('names the path of a badly typed value', () => {
    assert.throws(() => encode({ name: 'a', items: [{ id: 1, data: null }, { id: 'x', data: null }], ids: [] }, 0), (e: unknown) => {
      assert.ok(e instanceof EncodeError)
      assert.equal(e.message, 'items[1].id: expected a number, got string')
      return true
    })
  })

  it('refuses strings longer than an int16 length in classic versions', () => {
    assert.throws(() => encode({ name: 'x'.repeat(40000), items: [], ids: [] }, 0), /name: string of 40000 bytes exceeds/)
  })

  it('reports truncation with the path to the field', () => {
    try {
      decode('00026162' + '00000007' + '00000001' + '0001' + '0000000a' + '0000', 0)
      assert.fail('should throw')
    } catch (e) {
      assert.ok(e instanceof DecodeError)
      assert.equal(e.describe(), 'items.data: needs 10 bytes at offset 18 but only 2 remain')
    }
  })

  it('bounds array counts by the smallest element size', () => {
    // each item is at least 6 bytes (int16 + int32 length), so 2 items cannot fit in 6 bytes
    assert.throws(() => decode('00026162' + '00000007' + '00000002' + '0001' + '00000000', 0),
      (e: unknown) => e instanceof DecodeError && e.describe() === 'items: array count 2 exceeds the 6 bytes remaining')
  })
})
