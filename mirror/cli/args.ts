// Small flag parser for the mirror commands: `--name value` or `--name=value`, plus positionals.
import { UsageError } from '../../config'

export function parseArgs(argv: string[], flags: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = []
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) { positional.push(a); continue }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq === -1 ? undefined : eq)
    if (!flags.includes(name)) throw new UsageError(`unknown option --${name}; expected one of ${flags.map((f) => `--${f}`).join(', ')}`)
    const value = eq === -1 ? argv[++i] : a.slice(eq + 1)
    if (value === undefined) throw new UsageError(`--${name} needs a value`)
    out[name] = value
  }
  return { positional, flags: out }
}
