// A small DSL to declare each API's messages once, as in Kafka's JSON definitions: every field has
// a type, the versions it exists in, the versions where it may be null, a default, and (for
// tagged fields) a tag number. codec.ts walks these declarations to encode and decode.

export type PrimitiveType =
  | 'bool' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64'
  | 'uuid' | 'string' | 'bytes' | 'records'

export interface ArrayType {
  readonly kind: 'array'
  readonly of: FieldType
}

export interface StructType {
  readonly kind: 'struct'
  readonly fields: readonly Field[]
}

export type FieldType = PrimitiveType | ArrayType | StructType

/** Inclusive version range; max is Infinity for "N+". An empty range has min > max. */
export interface VersionRange {
  readonly min: number
  readonly max: number
}

export interface Field {
  readonly name: string
  readonly type: FieldType
  readonly versions: VersionRange
  readonly nullable: VersionRange
  readonly tag: number | undefined
  readonly tagged: VersionRange
  /** Value used when the field is absent in a version (or undefined on encode). */
  readonly default: unknown
}

export interface FieldOptions {
  /** Versions the field exists in, Kafka style: '0+', '3+', '1-4', '2'. Default '0+'. */
  v?: string
  /** Versions in which the field may be null. Default: never. */
  nullable?: string
  /** Tag number for a tagged field (flexible versions only). */
  tag?: number
  /** Versions in which the field is tagged. Default: same as v when tag is set. */
  tagged?: string
  /** Default value; otherwise 0, false, '', empty array, null for records. */
  default?: unknown
}

const NONE: VersionRange = Object.freeze({ min: 1, max: 0 })

/** Parses '0+', '3-5', '4' or 'none'. */
export function versionRange(spec: string): VersionRange {
  if (spec === 'none') return NONE
  const plus = /^(\d+)\+$/.exec(spec)
  if (plus) return Object.freeze({ min: Number(plus[1]), max: Infinity })
  const span = /^(\d+)(?:-(\d+))?$/.exec(spec)
  if (!span) throw new Error(`bad version range '${spec}'`)
  return Object.freeze({ min: Number(span[1]), max: Number(span[2] ?? span[1]) })
}

export function inRange(r: VersionRange, version: number): boolean {
  return version >= r.min && version <= r.max
}

export function field(name: string, type: FieldType, opts: FieldOptions = {}): Field {
  const versions = versionRange(opts.v ?? '0+')
  const nullable = opts.nullable === undefined ? NONE : versionRange(opts.nullable)
  const tagged = opts.tag === undefined ? NONE : versionRange(opts.tagged ?? opts.v ?? '0+')
  const dflt = opts.default !== undefined ? opts.default : type === 'records' ? null : undefined
  return Object.freeze({ name, type, versions, nullable, tag: opts.tag, tagged, default: dflt })
}

export function arrayOf(of: FieldType): ArrayType {
  return Object.freeze({ kind: 'array', of })
}

export function struct(...fields: Field[]): StructType {
  return Object.freeze({ kind: 'struct', fields: Object.freeze(fields) })
}

/** The value a field takes when it is absent. Arrays and structs are fresh each time. */
export function defaultValue(f: Field, version: number): unknown {
  if (f.default !== undefined) return f.default
  return typeDefault(f.type, version)
}

export function typeDefault(t: FieldType, version: number): unknown {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return false
      case 'string': return ''
      case 'bytes': return Buffer.alloc(0)
      case 'records': return null
      case 'uuid': return Buffer.alloc(16)
      default: return 0
    }
  }
  if (t.kind === 'array') return []
  const out: Record<string, unknown> = {}
  for (const f of t.fields) out[f.name] = defaultValue(f, version)
  return out
}
