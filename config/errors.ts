// One base error for all of Godwit: a stable code to match on, a retriable flag that retry
// helpers read (and nothing else), and the underlying cause. Every code is registered in a
// catalog so docs/errors.md can be generated and checked.

export interface ErrorCodeInfo {
  code: string
  retriable: boolean
  doc: string
}

const catalog = new Map<string, ErrorCodeInfo>()

export class GodwitError extends Error {
  readonly code: string
  readonly retriable: boolean

  constructor(code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retriable = options.retriable ?? false
    this.name = 'GodwitError'
  }
}

export type GodwitErrorClass = new (message: string, options?: { cause?: unknown }) => GodwitError

/**
 * Declares an error code with its documentation and returns a subclass of GodwitError for it.
 * `name` is the class name shown in stack traces.
 */
export function defineError(name: string, code: string, doc: string, opts: { retriable?: boolean } = {}): GodwitErrorClass {
  const retriable = opts.retriable ?? false
  const existing = catalog.get(code)
  if (existing !== undefined && existing.doc !== doc) throw new Error(`error code ${code} defined twice`)
  catalog.set(code, { code, retriable, doc })
  const cls = class extends GodwitError {
    constructor(message: string, options: { cause?: unknown } = {}) {
      super(code, message, { retriable, cause: options.cause })
      this.name = name
    }
  }
  Object.defineProperty(cls, 'name', { value: name })
  return cls
}

export function errorCatalog(): ErrorCodeInfo[] {
  return [...catalog.values()].sort((a, b) => a.code.localeCompare(b.code))
}

export function isRetriable(err: unknown): boolean {
  return err instanceof GodwitError && err.retriable
}

export const ConfigError = defineError('ConfigError', 'CONFIG_INVALID',
  'A configuration has missing or invalid values; the message lists every bad key and what it expects.')

export const UsageError = defineError('UsageError', 'USAGE',
  'A command line was malformed: unknown subcommand or flag, or a missing argument.')
