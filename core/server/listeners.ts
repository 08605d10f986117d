// Listener URLs (PLAINTEXT://host:port) to one bind address and one advertised address per
// logical broker. A single URL serves every node: its port is used by node 0 and incremented
// for the next ones (port 0 stays ephemeral for all).
import * as os from 'node:os'
import { ConfigError } from '../../config'

export interface Endpoint {
  host: string
  port: number
}

export function parseListener(url: string): Endpoint {
  const m = /^([A-Za-z_][A-Za-z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(url.trim())
  if (m === null) throw new ConfigError(`Invalid listener "${url}": expected PLAINTEXT://host:port (e.g. PLAINTEXT://127.0.0.1:9092)`)
  if (m[1].toUpperCase() !== 'PLAINTEXT') throw new ConfigError(`Invalid listener "${url}": only PLAINTEXT listeners are supported`)
  const port = Number(m[3])
  if (port > 65535) throw new ConfigError(`Invalid listener "${url}": port ${port} is above 65535`)
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2]
  return { host, port }
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
