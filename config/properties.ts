// Reads Java .properties text (the format of Kafka's server.properties, Connect's worker and
// connector files, and MM2's mm2.properties): `key=value`, `key: value` or `key value`,
// # and ! comments, backslash line continuations and escapes.

export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>()
  const lines = text.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^[ \t\f]+/, '')
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    // An odd number of trailing backslashes continues the logical line.
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, '')
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1)
    const { key, value } = splitKeyValue(line)
    out.set(unescape(key), unescape(value))
  }
  return out
}

function endsWithContinuation(line: string): boolean {
  let n = 0
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++
  return n % 2 === 1
}

function splitKeyValue(line: string): { key: string; value: string } {
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === '\\') { i += 2; continue }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break
    i++
  }
  const key = line.slice(0, i)
  let rest = line.slice(i).replace(/^[ \t\f]+/, '')
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '')
  return { key, value: rest }
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16))
    switch (e) {
      case 't': return '\t'
      case 'n': return '\n'
      case 'r': return '\r'
      case 'f': return '\f'
      default: return e
    }
  })
}

/** Object form, convenient for ConfigDef.parse. */
export function propertiesToObject(props: Map<string, string>): Record<string, string> {
  return Object.fromEntries(props)
}

/** Keeps the keys that start with `prefix`, with the prefix removed. */
export function withPrefix(props: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
  return out
}
