// Declarative configuration: each key's type, default, validator and documentation stand in one
// declaration (as in Kafka's ConfigDef), and the parsed object's TypeScript type is inferred from
// it. parse() reports every bad key at once; validate() returns per-key results for Connect's
// validate endpoint; toMarkdown() generates docs/config.md.
import { ConfigError } from './errors'
import { closestName } from './suggest'

export type ConfigType = 'string' | 'int' | 'long' | 'double' | 'boolean' | 'list' | 'password' | 'class'
export type Importance = 'high' | 'medium' | 'low'

type ValueOf<T extends ConfigType> =
  T extends 'int' | 'long' | 'double' ? number
    : T extends 'boolean' ? boolean
      : T extends 'list' ? string[]
        : string

/** A validator returns undefined when the value is fine, or what is wrong with it. */
export type Validator<V = unknown> = (value: V, key: string) => string | undefined

export interface KeySpec<T extends ConfigType = ConfigType> {
  type: T
  /** Absent default with `required` means the key must be given; absent otherwise means optional. */
  default?: ValueOf<T> | null
  required?: boolean
  validate?: Validator<ValueOf<T>>
  doc: string
  importance?: Importance
}

/** One of the KeySpec<T>, discriminated by `type`, so each validator sees its own value type. */
export type AnyKeySpec = { [T in ConfigType]: KeySpec<T> }[ConfigType]
export type KeySpecs = Record<string, AnyKeySpec>

type HasValue<S extends KeySpec> = S extends { required: true } ? true
  : S extends { default: null } ? false
    : S extends { default: unknown } ? true : false

export type ConfigOf<D> = D extends ConfigDef<infer S>
  ? { readonly [K in keyof S]: HasValue<S[K]> extends true ? ValueOf<S[K]['type']> : ValueOf<S[K]['type']> | undefined }
  : never

export type RawValue = string | number | boolean | string[] | null | undefined
export type RawConfig = Record<string, RawValue>

export interface KeyValidation {
  name: string
  value: unknown
  errors: string[]
}

export interface ParseOptions {
  /** Keys not declared here are ignored rather than reported (for shared files such as mm2.properties). */
  allowUnknown?: boolean
}

export class ConfigDef<S extends KeySpecs> {
  constructor(readonly name: string, readonly keys: S) {}

  extend<M extends KeySpecs>(name: string, more: M): ConfigDef<Omit<S, keyof M> & M> {
    return new ConfigDef(name, { ...this.keys, ...more } as Omit<S, keyof M> & M)
  }

  /** Per-key results, never throws. Unknown keys are reported unless allowed. */
  validate(raw: RawConfig, opts: ParseOptions = {}): KeyValidation[] {
    const results: KeyValidation[] = []
    for (const [name, spec] of Object.entries(this.keys)) {
      const { value, error } = coerceKey(name, spec, raw[name])
      const errors: string[] = []
      if (error !== undefined) errors.push(error)
      else if (value !== undefined && value !== null && spec.validate !== undefined) {
        const problem = (spec.validate as Validator)(value, name)
        if (problem !== undefined) errors.push(problem)
      }
      results.push({ name, value: spec.type === 'password' && value !== undefined ? '[hidden]' : value, errors })
    }
    if (opts.allowUnknown !== true) {
      for (const name of Object.keys(raw)) {
        if (name in this.keys) continue
        const hint = closestName(name, Object.keys(this.keys))
        results.push({ name, value: raw[name], errors: [`unknown key${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`] })
      }
    }
    return results
  }

  /** A frozen, typed config, or a ConfigError listing every bad key. */
  parse(raw: RawConfig, opts: ParseOptions = {}): ConfigOf<ConfigDef<S>> {
    const results = this.validate(raw, opts)
    const bad = results.filter((r) => r.errors.length > 0)
    if (bad.length > 0) {
      const lines = bad.map((r) => `  - ${r.name}: ${r.errors.join('; ')}`)
      throw new ConfigError(`Invalid ${this.name} configuration (${bad.length} problem${bad.length === 1 ? '' : 's'}):\n${lines.join('\n')}`)
    }
    const out: Record<string, unknown> = {}
    for (const [name, spec] of Object.entries(this.keys)) out[name] = coerceKey(name, spec, raw[name]).value ?? undefined
    return Object.freeze(out) as ConfigOf<ConfigDef<S>>
  }

  defaults(): ConfigOf<ConfigDef<S>> {
    return this.parse({}, { allowUnknown: true })
  }

  toMarkdown(): string {
    const rows = Object.entries(this.keys).map(([name, spec]) => {
      const def = spec.required === true || spec.default === undefined ? '(required)' : formatDefault(spec.default)
      return `| \`${name}\` | ${spec.type} | ${def} | ${spec.importance ?? 'medium'} | ${spec.doc.replace(/\|/g, '\\|')} |`
    })
    return [`## ${this.name}`, '', '| key | type | default | importance | description |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n')
  }
}

export function defineConfig<S extends KeySpecs>(name: string, keys: S): ConfigDef<S> {
  return new ConfigDef(name, keys)
}

function formatDefault(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return v.length === 0 ? '""' : `\`${v.join(',')}\``
  return `\`${String(v)}\``
}

function coerceKey(name: string, spec: AnyKeySpec, raw: RawValue): { value?: unknown; error?: string } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '' && spec.type !== 'string' && spec.type !== 'list' && spec.type !== 'password')) {
    if (spec.required === true && spec.default === undefined) return { error: 'is required and has no default' }
    return { value: spec.default === undefined ? undefined : spec.default }
  }
  return coerce(spec.type, raw)
}

function coerce(type: ConfigType, raw: Exclude<RawValue, null | undefined>): { value?: unknown; error?: string } {
  const text = Array.isArray(raw) ? raw.join(',') : String(raw).trim()
  switch (type) {
    case 'int':
    case 'long': {
      if (typeof raw === 'number' && Number.isInteger(raw)) return checkRange(type, raw)
      if (!/^[-+]?\d+$/.test(text)) return { error: `expected an integer, got "${text}"` }
      return checkRange(type, Number(text))
    }
    case 'double': {
      const n = typeof raw === 'number' ? raw : Number(text)
      if (text === '' || Number.isNaN(n)) return { error: `expected a number, got "${text}"` }
      return { value: n }
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw }
      const t = text.toLowerCase()
      if (t === 'true') return { value: true }
      if (t === 'false') return { value: false }
      return { error: `expected true or false, got "${text}"` }
    }
    case 'list':
      if (Array.isArray(raw)) return { value: raw.map((s) => s.trim()).filter((s) => s !== '') }
      return { value: text === '' ? [] : text.split(',').map((s) => s.trim()).filter((s) => s !== '') }
    default:
      return { value: Array.isArray(raw) ? raw.join(',') : String(raw) }
  }
}

function checkRange(type: 'int' | 'long', n: number): { value?: unknown; error?: string } {
  if (type === 'int' && (n < -2147483648 || n > 2147483647)) return { error: `expected a 32-bit integer, got ${n}` }
  if (!Number.isSafeInteger(n)) return { error: `integer ${n} is out of range` }
  return { value: n }
}
