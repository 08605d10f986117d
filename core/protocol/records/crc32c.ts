// CRC-32C (Castagnoli), the checksum of RecordBatch v2. Inputs of 128 bytes and more go to
// @node-rs/crc32's hardware routine (SSE4.2/ARMv8 CRC instructions: about 13 GB/s here, 3.6x the
// SIMD routine on 64 KiB) where its prebuilt binary exists for the platform. Without it, whole
// 16 KiB blocks go to a WebAssembly SIMD routine (about 4-5 GB/s in V8, see crc32c-simd.ts); the rest of inputs over
// 256 bytes to a WebAssembly slicing-by-16 routine (about 2.3 GB/s); small ones, and runtimes
// without WebAssembly, use slicing-by-8 in JavaScript with aligned 32-bit loads (about 1.2 GB/s).
// GODWIT_CRC32C_NO_NATIVE and GODWIT_CRC32C_NO_SIMD (any value) turn those routines off, for A/B
// measurements.
import { loadSimdCrc, SIMD_BLOCK } from './crc32c-simd'
import { loadWasmCrc } from './crc32c-wasm'

const POLY = 0x82f63b78
/** Below this many bytes copying into WebAssembly memory costs more than it saves. */
const WASM_MIN = 256
/** Below this many bytes a native call costs about what the JavaScript loop does (measured: 64 B). */
const NATIVE_MIN = 128

type NativeCrc = (input: Buffer, initialState?: number) => number
/** The optional dependency's binary is missing on platforms it has no build for: fall back. */
function loadNativeCrc(): NativeCrc | undefined {
  if (process.env.GODWIT_CRC32C_NO_NATIVE !== undefined) return undefined
  try {
    return (require('@node-rs/crc32') as { crc32c: NativeCrc }).crc32c
  } catch {
    return undefined
  }
}
const native = loadNativeCrc()

const TABLES: Uint32Array[] = (() => {
  const t: Uint32Array[] = []
  for (let k = 0; k < 16; k++) t.push(new Uint32Array(256))
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
    t[0][n] = c >>> 0
  }
  for (let n = 0; n < 256; n++) {
    let c = t[0][n]
    for (let k = 1; k < 16; k++) {
      c = t[0][c & 0xff] ^ (c >>> 8)
      t[k][n] = c >>> 0
    }
  }
  return t
})()

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
const wasm = LITTLE_ENDIAN ? loadWasmCrc(TABLES) : undefined
const simd = LITTLE_ENDIAN && process.env.GODWIT_CRC32C_NO_SIMD === undefined ? loadSimdCrc(TABLES[0]) : undefined

/** CRC-32C of buf[start, end) as an unsigned 32-bit number. */
export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  return crc32cUpdate(0, buf, start, end)
}

/** Continues a CRC-32C over more bytes (crc is a previous result, 0 to start). */
export function crc32cUpdate(crc: number, buf: Buffer, start = 0, end = buf.length): number {
  if (native !== undefined && end - start >= NATIVE_MIN) return native(start === 0 && end === buf.length ? buf : buf.subarray(start, end), crc)
  return crc32cPortable(crc, buf, start, end)
}

/** The WebAssembly and JavaScript routines alone (what runs without the native binary). */
export function crc32cPortable(crc: number, buf: Buffer, start = 0, end = buf.length): number {
  if (simd !== undefined && end - start >= SIMD_BLOCK) {
    const [reg, rest] = simd.blocks(~crc >>> 0, buf, start, end)
    crc = ~reg >>> 0
    start = rest
  }
  if (wasm !== undefined && end - start >= WASM_MIN) return wasm.update(crc, buf, start, end)
  return crc32cJs(crc, buf, start, end)
}

/** Which routines this runtime uses (tests check each against the JavaScript one). */
export const crc32cRoutines = { native: native !== undefined, simd: simd !== undefined, wasm: wasm !== undefined }

/** The JavaScript implementation (exported for tests that compare both). */
export function crc32cJs(crc: number, buf: Buffer, start = 0, end = buf.length): number {
  const t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3]
  const t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7]
  let c = ~crc >>> 0
  let i = start
  // Byte-wise up to a 4-byte aligned address, then two aligned 32-bit loads per 8 bytes.
  while (i < end && ((buf.byteOffset + i) & 3) !== 0) c = t0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8)
  const words = (end - i) >>> 3
  if (LITTLE_ENDIAN && words > 0) {
    const w = new Uint32Array(buf.buffer, buf.byteOffset + i, words * 2)
    for (let k = 0; k < w.length; k += 2) {
      const a = w[k] ^ c
      const b = w[k + 1]
      c = t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
        t3[b & 0xff] ^ t2[(b >>> 8) & 0xff] ^ t1[(b >>> 16) & 0xff] ^ t0[b >>> 24]
    }
    i += words * 8
  }
  while (i < end) c = t0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}
