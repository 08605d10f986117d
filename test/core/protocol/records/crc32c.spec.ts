import assert from 'node:assert/strict'
import * as crypto from 'node:crypto'
import { crc32c, crc32cJs, crc32cPortable, crc32cRoutines, crc32cUpdate } from '../../../../core/protocol/records/crc32c'
import { SIMD_BLOCK } from '../../../../core/protocol/records/crc32c-simd'

describe('core/protocol/records/crc32c', () => {
  it('gives the CRC-32C check value and uses the fast routines on this runtime', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283)
    assert.equal(crc32c(Buffer.alloc(0)), 0)
    // @node-rs/crc32 ships a binary for this platform, and Node 20 on x64/arm64 has WebAssembly
    // SIMD for platforms without one: a silent fallback would only show as slowness.
    assert.deepEqual(crc32cRoutines, { native: true, simd: true, wasm: true })
  })

  it('the native, SIMD and WebAssembly routines agree with the JavaScript one at every length and alignment that matters', () => {
    const data = crypto.randomBytes(5 * SIMD_BLOCK + 4096)
    const lengths = [0, 1, 3, 7, 8, 15, 16, 17, 255, 256, 257, 4095, SIMD_BLOCK - 1, SIMD_BLOCK, SIMD_BLOCK + 1, 2 * SIMD_BLOCK + 13, 4 * SIMD_BLOCK, 5 * SIMD_BLOCK + 999]
    for (const len of lengths) {
      for (const start of [0, 1, 2, 3, 5, 21]) {
        if (start + len > data.length) continue
        const expected = crc32cJs(0, data, start, start + len)
        assert.equal(crc32c(data, start, start + len), expected, `length ${len} at ${start}`)
        assert.equal(crc32cPortable(0, data, start, start + len), expected, `portable, length ${len} at ${start}`)
      }
    }
    // A 64 KiB batch's CRC range (from the attributes field at byte 21) in one go and in pieces.
    const batch = crypto.randomBytes(66547)
    const whole = crc32c(batch, 21)
    assert.equal(whole, crc32cJs(0, batch, 21))
    let running = 0
    let portable = 0
    for (let pos = 21; pos < batch.length; pos += 20000) {
      running = crc32cUpdate(running, batch, pos, Math.min(batch.length, pos + 20000))
      portable = crc32cPortable(portable, batch, pos, Math.min(batch.length, pos + 20000))
    }
    assert.equal(running, whole)
    assert.equal(portable, whole)
  })

  it('detects any single flipped bit in a large input', () => {
    const buf = crypto.randomBytes(3 * SIMD_BLOCK + 100)
    const good = crc32c(buf)
    for (const byte of [0, 1023, 1024, SIMD_BLOCK - 1, SIMD_BLOCK + 5000, 3 * SIMD_BLOCK + 99]) {
      buf[byte] ^= 0x10
      assert.notEqual(crc32c(buf), good, `bit flip at byte ${byte}`)
      assert.notEqual(crc32cPortable(0, buf), good, `portable, bit flip at byte ${byte}`)
      buf[byte] ^= 0x10
    }
    assert.equal(crc32c(buf), good)
  })
})
