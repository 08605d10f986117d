// CRC-32C (Castagnoli), the checksum of RecordBatch v2. Slicing-by-8 tables: eight bytes per
// step, which keeps validation of every appended batch well below the cost of writing it.
const POLY = 0x82f63b78

const TABLES: Uint32Array[] = (() => {
  const t: Uint32Array[] = []
  for (let k = 0; k < 8; k++) t.push(new Uint32Array(256))
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
    t[0][n] = c >>> 0
  }
  for (let n = 0; n < 256; n++) {
    let c = t[0][n]
    for (let k = 1; k < 8; k++) {
      c = t[0][c & 0xff] ^ (c >>> 8)
      t[k][n] = c >>> 0
    }
  }
  return t
})()

/** CRC-32C of buf[start, end) as an unsigned 32-bit number. */
export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  return crc32cUpdate(0, buf, start, end)
}

/** Continues a CRC-32C over more bytes (crc is a previous result, 0 to start). */
export function crc32cUpdate(crc: number, buf: Buffer, start = 0, end = buf.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES
  let c = ~crc >>> 0
  let i = start
  const end8 = end - ((end - start) & 7)
  while (i < end8) {
    const a = (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)) ^ c
    c = t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
      t3[buf[i + 4]] ^ t2[buf[i + 5]] ^ t1[buf[i + 6]] ^ t0[buf[i + 7]]
    i += 8
  }
  while (i < end) c = t0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}
