// Listener URLs (NAME://host:port) to one bind address and one advertised address per
// logical broker. A single URL serves every node: its port is used by node 0 and incremented
// for the next ones (port 0 stays ephemeral for all).
import * as os from 'node:os'
import { ConfigError } from '../../config'

export interface Endpoint {
  host: string
  port: number
}

export function parseListener(url: string): Endpoint {
  const { host, port } = parseNamedListener(url)
  return { host, port }
}

/** A listener URL with its name (upper case): SASL_SSL://host:port → { name: 'SASL_SSL', host, port }. */
export function parseNamedListener(url: string): Endpoint & { name: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(url.trim())
  if (m === null) throw new ConfigError(`Invalid listener "${url}": expected NAME://host:port (e.g. PLAINTEXT://127.0.0.1:9092 or SASL_SSL://127.0.0.1:9093)`)
  const port = Number(m[3])
  if (port > 65535) throw new ConfigError(`Invalid listener "${url}": port ${port} is above 65535`)
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2]
  return { name: m[1].toUpperCase(), host, port }
}

/**
 * Listener URLs grouped by listener name, in first-seen order, each name with one endpoint per
 * node (its URLs are one per node, or one whose port is incremented).
 */
export function listenersFor(urls: string[], nodes: number, what: string): { name: string; endpoints: Endpoint[] }[] {
  const byName = new Map<string, string[]>()
  for (const u of urls) {
    const name = parseNamedListener(u).name
    byName.set(name, [...(byName.get(name) ?? []), u])
  }
  return [...byName].map(([name, list]) => ({ name, endpoints: endpointsFor(list, nodes, `${what} (${name})`) }))
}

/** One endpoint per node from a list of URLs (either one per node, or one to be incremented). */
export function endpointsFor(urls: string[], nodes: number, what: string): Endpoint[] {
  const parsed = urls.map(parseListener)
  if (parsed.length === nodes) return parsed
  if (parsed.length === 1) {
    const base = parsed[0]
    return Array.from({ length: nodes }, (_, i) => ({ host: base.host, port: base.port === 0 ? 0 : base.port + i }))
  }
  throw new ConfigError(`${what} lists ${parsed.length} URLs but godwit.nodes is ${nodes}: give one URL per node, or one whose port is incremented per node`)
}

/** The host clients should dial for a bound host: wildcard binds advertise this machine's name. */
export function advertisableHost(bindHost: string): string {
  if (bindHost === '' || bindHost === '0.0.0.0' || bindHost === '::') return os.hostname()
  return bindHost
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
