// The one generic codec for every API: encodeStruct walks a StructType for a given version, and
// decodeStruct runs the compiled decoder from decode-plan.ts. In flexible versions strings, bytes
// and arrays take their compact (uvarint length + 1) forms and every struct ends with a
// tagged-field section; unknown tags are skipped on read, known ones written when not default.
import { GodwitError } from '../../config/errors'
import { structReader } from './decode-plan'
import { EncodeError } from './errors'
import { Reader } from './reader'
import { Field, FieldType, StructType, defaultValue, inRange } from './schema'
import { Writer } from './writer'

interface Plan {
  regular: Field[]
  tagged: Field[]
}

const plans = new WeakMap<StructType, Map<number, Plan>>()

/** Which fields are on the wire for this version, computed once per struct and version. */
function planFor(s: StructType, version: number, flexible: boolean): Plan {
  let byVersion = plans.get(s)
  if (byVersion === undefined) plans.set(s, (byVersion = new Map()))
  const key = flexible ? -1 - version : version
  let plan = byVersion.get(key)
  if (plan === undefined) {
    plan = { regular: [], tagged: [] }
    for (const f of s.fields) {
      if (!inRange(f.versions, version)) continue // absent in this version: never written
      if (f.tag !== undefined && flexible && inRange(f.tagged, version)) plan.tagged.push(f)
      else plan.regular.push(f)
    }
    plan.tagged.sort((a, b) => (a.tag as number) - (b.tag as number))
    byVersion.set(key, plan)
  }
  return plan
}

/** Decodes one struct of the given version; throws DecodeError (with the field path) on bad input. */
export function decodeStruct(r: Reader, s: StructType, version: number, flexible: boolean): Record<string, unknown> {
  return structReader(s, version, flexible)(r)
}

export function encodeStruct(w: Writer, s: StructType, value: unknown, version: number, flexible: boolean): void {
  if (value === null || typeof value !== 'object') throw new EncodeError(`expected an object, got ${describe(value)}`)
  const obj = value as Record<string, unknown>
  const plan = planFor(s, version, flexible)
  for (const f of plan.regular) {
    const v = obj[f.name]
    try {
      writeValue(w, f.type, v === undefined ? defaultValue(f, version) : v, version, flexible, inRange(f.nullable, version))
    } catch (e) {
      throw withPath(e, f.name)
    }
  }
  if (flexible) writeTaggedFields(w, plan.tagged, obj, version)
}

function writeTaggedFields(w: Writer, tagged: Field[], obj: Record<string, unknown>, version: number): void {
  const present = tagged.filter((f) => !isDefault(obj[f.name], defaultValue(f, version)))
  w.uvarint(present.length)
  for (const f of present) {
    const sub = new Writer(64)
    try {
      writeValue(sub, f.type, obj[f.name], version, true, inRange(f.nullable, version))
    } catch (e) {
      throw withPath(e, f.name)
    }
    w.uvarint(f.tag as number).uvarint(sub.length).append(sub)
  }
}

function writeValue(w: Writer, t: FieldType, v: unknown, version: number, flexible: boolean, nullable: boolean): void {
  if (v === null && (t === 'string' || t === 'bytes' || t === 'records' || (typeof t !== 'string' && t.kind === 'array'))) {
    if (!nullable) throw new EncodeError('null is not allowed in this field at this version')
    if (flexible) w.uvarint(0)
    else if (t === 'string') w.int16(-1)
    else w.int32(-1)
    return
  }
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': w.bool(expect<boolean>(v, 'boolean')); return
      case 'int8': w.int8(expect<number>(v, 'number')); return
      case 'int16': w.int16(expect<number>(v, 'number')); return
      case 'uint16': w.uint16(expect<number>(v, 'number')); return
      case 'int32': w.int32(expect<number>(v, 'number')); return
      case 'uint32': w.uint32(expect<number>(v, 'number')); return
      case 'int64': w.int64(expect<number>(v, 'number')); return
      case 'float64': w.float64(expect<number>(v, 'number')); return
      case 'uuid': w.uuid(expectBuffer(v)); return
      case 'string': {
        const s = expect<string>(v, 'string')
        const len = Buffer.byteLength(s, 'utf8')
        if (flexible) w.uvarint(len + 1)
        else if (len > 32767) throw new EncodeError(`string of ${len} bytes exceeds the int16 length limit`)
        else w.int16(len)
        w.utf8(s, len)
        return
      }
      case 'bytes':
      case 'records': {
        const b = expectBuffer(v)
        if (flexible) w.uvarint(b.length + 1)
        else w.int32(b.length)
        w.raw(b)
        return
      }
    }
  }
  if (t.kind === 'struct') return encodeStruct(w, t, v, version, flexible)
  if (!Array.isArray(v)) throw new EncodeError(`expected an array, got ${describe(v)}`)
  if (flexible) w.uvarint(v.length + 1)
  else w.int32(v.length)
  for (let i = 0; i < v.length; i++) {
    try {
      writeValue(w, t.of, v[i], version, flexible, false)
    } catch (e) {
      throw withPath(e, `[${i}]`)
    }
  }
}

function expect<T>(v: unknown, type: string): T {
  if (typeof v !== type) throw new EncodeError(`expected a ${type}, got ${describe(v)}`)
  return v as T
}

function expectBuffer(v: unknown): Buffer {
  if (!Buffer.isBuffer(v)) throw new EncodeError(`expected a Buffer, got ${describe(v)}`)
  return v
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v
}

function isDefault(v: unknown, d: unknown): boolean {
  if (v === undefined || v === d) return true
  if (Array.isArray(v)) return Array.isArray(d) && v.length === 0 && d.length === 0
  if (Buffer.isBuffer(v)) return Buffer.isBuffer(d) && v.equals(d)
  return false
}

/** Prefixes the failing field's path to an EncodeError: "topicData[0].partitionData[1].records: ...". */
function withPath(e: unknown, name: string): unknown {
  if (!(e instanceof EncodeError)) return e
  const err = e as GodwitError & { reason?: string; path?: string }
  err.reason ??= err.message
  err.path = err.path === undefined ? name : name + (err.path.startsWith('[') ? '' : '.') + err.path
  err.message = `${err.path}: ${err.reason}`
  return err
}
