// Connection options for the coordination Redis, from redis.url and redis.* keys. Two kinds of
// client: the coordination client fails commands fast while Redis is away (a heartbeat that
// cannot be sent must not queue up and replay late), and BullMQ's clients, which BullMQ requires
// to retry forever (maxRetriesPerRequest: null).
import * as fs from 'node:fs'
import * as net from 'node:net'
import type { ConnectionOptions } from 'bullmq'
import Redis, { type RedisOptions } from 'ioredis'
import { ConfigError } from '../../config'

export interface RedisSettings {
  url: string
  password?: string | null
  username?: string | null
  tlsCaLocation?: string | null
  tlsRejectUnauthorized?: boolean
}

/** ioredis options (host, port, db, auth, tls) for these settings; throws ConfigError on a bad URL. */
export function redisOptions(s: RedisSettings): RedisOptions {
  let u: URL
  try {
    u = new URL(s.url)
  } catch {
    throw new ConfigError(`redis.url "${s.url}" is not a URL; expected redis://host:port or rediss://host:port`)
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ConfigError(`redis.url "${s.url}" must start with redis:// or rediss:// (TLS)`)
  }
  const opts: RedisOptions = {
    host: u.hostname === '' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? 6379 : Number(u.port),
  }
  const db = u.pathname.replace(/^\//, '')
  if (db !== '') {
    if (!/^\d+$/.test(db)) throw new ConfigError(`redis.url "${s.url}": the path must be a database number, got "${db}"`)
    opts.db = Number(db)
  }
  const user = s.username ?? (u.username === '' ? undefined : decodeURIComponent(u.username))
  const password = s.password ?? (u.password === '' ? undefined : decodeURIComponent(u.password))
  if (user !== undefined) opts.username = user
  if (password !== undefined) opts.password = password
  if (u.protocol === 'rediss:') {
    opts.tls = {
      ...(net.isIP(opts.host!) === 0 ? { servername: opts.host } : {}),
      rejectUnauthorized: s.tlsRejectUnauthorized ?? true,
      ...(s.tlsCaLocation != null ? { ca: fs.readFileSync(s.tlsCaLocation) } : {}),
    }
  }
  return opts
}

/** Reconnect with capped exponential backoff, forever: an outage pauses coordination, never ends it. */
export function retryStrategy(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 10), 2000)
}

/** The coordination client: commands fail at once while disconnected (no offline queue). */
export function connectCoordinationRedis(s: RedisSettings, name: string): Redis {
  return new Redis({
    ...redisOptions(s),
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectTimeout: 5000,
    retryStrategy,
    lazyConnect: true,
  })
}

/** Options for BullMQ's own connections (it creates and owns them). */
export function bullConnectionOptions(s: RedisSettings): ConnectionOptions {
  return { ...redisOptions(s), maxRetriesPerRequest: null, retryStrategy, enableReadyCheck: true } as ConnectionOptions
}
