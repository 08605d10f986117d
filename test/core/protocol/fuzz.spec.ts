import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { encodeRequest } from '../../../core/protocol/client-codec'
import { MalformedRequestError, UnknownApiError, UnsupportedVersionError } from '../../../core/protocol/errors'
import { API_DEFINITIONS } from '../../../core/protocol/registry'
import { decodeRequest } from '../../../core/protocol/request'
import { Rng, randomStruct, seededRng } from './helpers/random-message'

const int = (rng: Rng, n: number) => Math.floor(rng() * n)
const NASTY_32 = [0xffffffff, 0x7fffffff, 0x80000000, 0x00ffffff, 0xfffffffe]

/** One mutation of a valid frame: bit flips, truncation, huge/negative lengths, garbage. */
function mutate(rng: Rng, frame: Buffer): Buffer {
  const b = Buffer.from(frame)
  switch (int(rng, 6)) {
    case 0: {
      for (let k = 1 + int(rng, 4); k > 0; k--) b[int(rng, b.length)] ^= 1 << int(rng, 8)
      return b
    }
    case 1: return b.subarray(0, int(rng, b.length))
    case 2: {
      if (b.length >= 12) b.writeUInt32BE(NASTY_32[int(rng, NASTY_32.length)], 8 + int(rng, b.length - 11))
      return b
    }
    case 3: {
      if (b.length >= 10) b.writeUInt16BE([0xffff, 0x7fff, 0x8000, 0xfffe][int(rng, 4)], 8 + int(rng, b.length - 9))
      return b
    }
    case 4: {
      const at = 8 + int(rng, Math.max(1, b.length - 8))
      if (at < b.length) b[at] = [0xff, 0x80, 0x7f, 0x00][int(rng, 4)]
      return b
    }
    default: return Buffer.concat([b, Buffer.from(Array.from({ length: 1 + int(rng, 8) }, () => int(rng, 256)))])
  }
}

function check(frame: Buffer, what: string): void {
  const started = process.hrtime.bigint()
  try {
    decodeRequest(frame)
  } catch (e) {
    const typed = e instanceof MalformedRequestError || e instanceof UnsupportedVersionError || e instanceof UnknownApiError
    if (!typed) assert.fail(`${what}: decodeRequest threw an untyped error: ${(e as Error).stack}\nframe ${frame.toString('hex')}`)
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  assert.ok(ms < 200, `${what}: took ${ms} ms`)
}

describe('core/protocol decodeRequest fuzz', () => {
  it('only returns or throws typed errors for mutated frames of every API version', () => {
    const heapBefore = process.memoryUsage().heapUsed
    let cases = 0
    for (const api of API_DEFINITIONS) {
      for (let version = api.minVersion; version <= api.maxVersion; version++) {
        const rng = seededRng(api.apiKey * 1000 + version)
        for (let i = 0; i < 12; i++) {
          const body = randomStruct(rng, api.request, version)
          const valid = encodeRequest({ apiKey: api.apiKey as ApiKey, apiVersion: version, correlationId: i, clientId: 'fuzz' }, body as never).subarray(4)
          for (let m = 0; m < 25; m++) {
            let frame = mutate(rng, valid)
            if (rng() < 0.3) frame = mutate(rng, frame)
            check(frame, `${api.name} v${version} seed ${api.apiKey * 1000 + version} case ${i}/${m}`)
            cases++
          }
        }
      }
    }
    assert.ok(cases > 10000, `${cases} cases`)
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6
    assert.ok(grownMb < 200, `heap grew ${grownMb} MB`)
  })

  it('only returns or throws typed errors for random bytes behind valid and invalid headers', () => {
    const rng = seededRng(4242)
    for (let i = 0; i < 5000; i++) {
      const api = API_DEFINITIONS[int(rng, API_DEFINITIONS.length)]
      const len = int(rng, 64)
      const frame = Buffer.from(Array.from({ length: 10 + len }, () => int(rng, 256)))
      if (rng() < 0.8) {
        frame.writeInt16BE(api.apiKey, 0)
        frame.writeInt16BE(api.minVersion + int(rng, api.maxVersion - api.minVersion + 1), 2)
        frame.writeInt16BE(rng() < 0.5 ? -1 : 0, 8)
      }
      check(frame, `random frame ${i}`)
    }
    check(Buffer.alloc(0), 'empty frame')
  })

  it('refuses a frame whose array count claims billions of elements without allocating them', () => {
    const frame = Buffer.from('000300010000000100007fffffff', 'hex')
    assert.throws(() => decodeRequest(frame), /array count 2147483647 exceeds the 0 bytes remaining/)
  })
})
