// CRC-32C in WebAssembly, slicing-by-16 (sixteen table lookups per 16 bytes): about twice the
// JavaScript version's speed in V8, since Node 20 has no native CRC-32C. The module is tiny and
// assembled here from its opcodes so nothing has to be built or shipped. Memory layout: 16
// tables of 256 u32 at 0, the bytes to checksum copied in at DATA.
const DATA = 16 * 1024
/** Bytes checksummed per call (the rest of the module's 17 pages of memory). */
export const WASM_CHUNK = 1 << 20

type Bytes = number[]
const sleb = (n: number): Bytes => {
  const out: Bytes = []
  for (;;) {
    let b = n & 0x7f
    n >>= 7
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)
    if (!done) b |= 0x80
    out.push(b)
    if (done) return out
  }
}
const uleb = (n: number): Bytes => {
  const out: Bytes = []
  do { let b = n & 0x7f; n >>>= 7; if (n !== 0) b |= 0x80; out.push(b) } while (n !== 0)
  return out
}
const get = (i: number): Bytes => [0x20, i]
const set = (i: number): Bytes => [0x21, i]
const i32 = (n: number): Bytes => [0x41, ...sleb(n)]
const XOR = 0x73, AND = 0x71, SHR_U = 0x76, SHL = 0x74, ADD = 0x6a, GE_U = 0x4f
const load = (offset: number): Bytes => [0x28, 2, ...uleb(offset)]
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], END = 0x0b, BR = 0x0c, BR_IF = 0x0d
/** table[k][(local >>> shift) & 0xff] */
const lookup = (k: number, local: number, shift: number): Bytes =>
  [...get(local), ...(shift > 0 ? [...i32(shift), SHR_U] : []), ...(shift < 24 ? [...i32(255), AND] : []), ...i32(2), SHL, ...load(k * 1024)]

// crc(c, p, n): params c=0 p=1 n=2; locals end=3 end16=4 w0..w3=5..8
function moduleBytes(): Uint8Array {
  const words: Bytes = []
  for (let j = 0; j < 4; j++) words.push(...get(1), ...load(4 * j), ...(j === 0 ? [...get(0), XOR] : []), ...set(5 + j))
  const lookups: Bytes = []
  for (let j = 0; j < 4; j++) {
    for (let s = 0; s < 4; s++) {
      lookups.push(...lookup(15 - (4 * j + s), 5 + j, s * 8))
      if (j + s > 0) lookups.push(XOR)
    }
  }
  const body = [
    ...get(0), ...i32(-1), XOR, ...set(0),
    ...get(1), ...get(2), ADD, ...set(3),
    ...get(1), ...get(2), ...i32(-16), AND, ADD, ...set(4),
    ...BLOCK, ...LOOP, ...get(1), ...get(4), GE_U, BR_IF, 1,
    ...words, ...lookups, ...set(0),
    ...get(1), ...i32(16), ADD, ...set(1), BR, 0, END, END,
    ...BLOCK, ...LOOP, ...get(1), ...get(3), GE_U, BR_IF, 1,
    ...get(0), ...get(1), 0x2d, 0, 0, XOR, ...i32(255), AND, ...i32(2), SHL, ...load(0), ...get(0), ...i32(8), SHR_U, XOR, ...set(0),
    ...get(1), ...i32(1), ADD, ...set(1), BR, 0, END, END,
    ...get(0), ...i32(-1), XOR, END,
  ]
  const fn = [1, 6, 0x7f, ...body]
  const section = (id: number, content: Bytes): Bytes => [id, ...uleb(content.length), ...content]
  const name = (s: string): Bytes => [s.length, ...Buffer.from(s)]
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 17]),
    ...section(7, [2, ...name('crc'), 0, 0, ...name('mem'), 2, 0]),
    ...section(10, [1, ...uleb(fn.length), ...fn]),
  ])
}

// The global is there at runtime; the project's lib settings (ES2022, no DOM) do not declare it.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: Record<string, unknown> }
}

export interface WasmCrc { update(crc: number, buf: Buffer, start: number, end: number): number }

/** The WebAssembly CRC-32C, or undefined where WebAssembly is unavailable. */
export function loadWasmCrc(tables: Uint32Array[]): WasmCrc | undefined {
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()))
    const crc = inst.exports.crc as (c: number, p: number, n: number) => number
    const mem = inst.exports.mem as { buffer: ArrayBuffer }
    const t = new Uint32Array(mem.buffer, 0, 16 * 256)
    tables.forEach((table, k) => t.set(table, k * 256))
    const heap = new Uint8Array(mem.buffer)
    return {
      update(c: number, buf: Buffer, start: number, end: number): number {
        while (start < end) {
          const n = Math.min(end - start, WASM_CHUNK)
          heap.set(buf.subarray(start, start + n), DATA)
          c = crc(c, DATA, n) >>> 0
          start += n
        }
        return c
      },
    }
  } catch {
    return undefined
  }
}
