import * as assert from 'node:assert/strict'
import { InvalidFrameSizeError } from '../../../core/protocol/errors'
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from '../../../core/protocol/frame'
import { seededRng } from './helpers/random-message'

const frame = (payload: string) => {
  const body = Buffer.from(payload)
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

describe('core/protocol/frame', () => {
  it('returns every whole frame in a chunk, as views without the size prefix', () => {
    const chunk = Buffer.concat([frame('one'), frame(''), frame('three')])
    const frames = new FrameDecoder().push(chunk)
    assert.deepEqual(frames.map((f) => f.toString()), ['one', '', 'three'])
    assert.equal(frames[0].buffer, chunk.buffer, 'no copy for a frame inside one chunk')
  })

  it('reassembles frames split at every possible byte boundary', () => {
    const stream = Buffer.concat([frame('hello'), frame('kafka wire'), frame('x')])
    for (let cut1 = 0; cut1 <= stream.length; cut1++) {
      for (let cut2 = cut1; cut2 <= stream.length; cut2 += 3) {
        const d = new FrameDecoder()
        const got = [stream.subarray(0, cut1), stream.subarray(cut1, cut2), stream.subarray(cut2)].flatMap((c) => d.push(c))
        assert.deepEqual(got.map((f) => f.toString()), ['hello', 'kafka wire', 'x'], `cuts ${cut1}/${cut2}`)
        assert.equal(d.bufferedBytes, 0)
      }
    }
  })

  it('reassembles a large frame fed one byte at a time', () => {
    const payload = 'z'.repeat(3000)
    const stream = frame(payload)
    const d = new FrameDecoder()
    const got: Buffer[] = []
    for (let i = 0; i < stream.length; i++) got.push(...d.feed(stream.subarray(i, i + 1)))
    assert.equal(got.length, 1)
    assert.equal(got[0].toString(), payload)
  })

  it('refuses a declared size above socket.request.max.bytes before buffering it', () => {
    const d = new FrameDecoder({ maxFrameBytes: 100 })
    const head = Buffer.alloc(4)
    head.writeInt32BE(101)
    assert.throws(() => d.push(head), (e: unknown) => e instanceof InvalidFrameSizeError && /101 bytes exceeds socket.request.max.bytes \(100\)/.test((e as Error).message))
    assert.equal(DEFAULT_MAX_FRAME_BYTES, 104857600)
  })

  it('refuses a negative size even when it arrives split', () => {
    const d = new FrameDecoder()
    assert.deepEqual(d.push(Buffer.from([0xff, 0xff])), [])
    assert.throws(() => d.push(Buffer.from([0xff, 0xfe])), /negative size \(-2\)/)
  })

  it('returns the same frames however a random stream is chunked (seeded)', () => {
    const rng = seededRng(7)
    const payloads = Array.from({ length: 300 }, (_, i) => 'p'.repeat(Math.floor(rng() * (i % 10 === 0 ? 5000 : 50))) + i)
    const stream = Buffer.concat(payloads.map(frame))
    for (let round = 0; round < 20; round++) {
      const d = new FrameDecoder()
      const got: string[] = []
      for (let at = 0; at < stream.length;) {
        const n = 1 + Math.floor(rng() * (round % 2 === 0 ? 7 : 9000))
        got.push(...d.push(stream.subarray(at, at + n)).map((f) => f.toString()))
        at += n
      }
      assert.deepEqual(got, payloads)
    }
  })

  it('only ever throws InvalidFrameSizeError on random bytes', () => {
    const rng = seededRng(11)
    for (let i = 0; i < 2000; i++) {
      const d = new FrameDecoder({ maxFrameBytes: 1 << 16 })
      try {
        for (let k = 0; k < 5; k++) d.push(Buffer.from(Array.from({ length: Math.floor(rng() * 40) }, () => Math.floor(rng() * 256))))
      } catch (e) {
        assert.ok(e instanceof InvalidFrameSizeError, String(e))
      }
      assert.ok(d.bufferedBytes <= 5 * 40)
    }
  })
})
