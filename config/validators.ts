// Reusable validators for ConfigDef keys. Each returns undefined when the value is fine.
import type { Validator } from './config-def'

export const atLeast = (min: number): Validator<number> => (v) => (v < min ? `must be at least ${min}, got ${v}` : undefined)

export const between = (min: number, max: number): Validator<number> => (v) =>
  v < min || v > max ? `must be between ${min} and ${max}, got ${v}` : undefined

export const oneOf = (...allowed: string[]): Validator<string> => (v) =>
  allowed.includes(v) ? undefined : `must be one of ${allowed.join(', ')}, got "${v}"`

/** Every list element must be one of the allowed values. */
export const eachOneOf = (...allowed: string[]): Validator<string[]> => (v) => {
  const bad = v.filter((x) => !allowed.includes(x))
  return bad.length === 0 ? undefined : `values must be among ${allowed.join(', ')}, got "${bad.join(',')}"`
}

export const nonEmpty: Validator<string | string[]> = (v) => (v.length === 0 ? 'must not be empty' : undefined)

/** Every element must compile as a regular expression (topic and group filters). */
export const regexList: Validator<string[]> = (v) => {
  for (const r of v) {
    try { new RegExp(r) } catch (e) { return `"${r}" is not a valid regular expression: ${(e as Error).message}` }
  }
  return undefined
}

export const all = <V>(...validators: Validator<V>[]): Validator<V> => (v, k) => {
  for (const f of validators) {
    const p = f(v, k)
    if (p !== undefined) return p
  }
  return undefined
}
