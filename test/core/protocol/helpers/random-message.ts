// Seeded random values for any schema and version: every field present in that version gets a
// random value of its type (null sometimes, where allowed); absent fields get their defaults, so
// the result is exactly what a decoder must return.
import { Field, FieldType, StructType, defaultValue, inRange } from '../../../../core/protocol/schema'

export type Rng = () => number

/** mulberry32: small, fast, reproducible. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1))
const STRINGS = ['', 'a', 'topic-1', 'ünïcødé ✓', 'x'.repeat(300), '__consumer_offsets']

export function randomStruct(rng: Rng, s: StructType, version: number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of s.fields) out[f.name] = inRange(f.versions, version) ? randomField(rng, f, version, depth) : defaultValue(f, version)
  return out
}

function randomField(rng: Rng, f: Field, version: number, depth: number): unknown {
  if (inRange(f.nullable, version) && rng() < 0.2) return null
  return randomValue(rng, f.type, version, depth)
}

function randomValue(rng: Rng, t: FieldType, version: number, depth: number): unknown {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return rng() < 0.5
      case 'int8': return int(rng, -128, 127)
      case 'int16': return int(rng, -32768, 32767)
      case 'uint16': return int(rng, 0, 65535)
      case 'int32': return int(rng, -(2 ** 31), 2 ** 31 - 1)
      case 'uint32': return int(rng, 0, 2 ** 32 - 1)
      case 'int64': return rng() < 0.3 ? -1 : int(rng, -(2 ** 53 - 1), 2 ** 53 - 1)
      case 'float64': return rng() * 1e6
      case 'uuid': return Buffer.from(Array.from({ length: 16 }, () => int(rng, 0, 255)))
      case 'string': return STRINGS[int(rng, 0, STRINGS.length - 1)]
      case 'bytes':
      case 'records': return Buffer.from(Array.from({ length: int(rng, 0, rng() < 0.1 ? 600 : 20) }, () => int(rng, 0, 255)))
    }
  }
  if (t.kind === 'struct') return randomStruct(rng, t, version, depth + 1)
  const n = int(rng, 0, depth > 2 ? 1 : 3)
  return Array.from({ length: n }, () => randomValue(rng, t.of, version, depth + 1))
}
