// The REST server: node:http, Connect's paths (routes.ts), bound where listeners / rest.port say.
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLogger } from '../../config'
import { RestListenerError } from '../errors'
import type { Herder } from '../runtime/herder'
import type { WorkerConfig } from '../runtime/worker-config'
import { sendError, sendJson, statusOf } from './http-util'
import { match } from './routes'

export interface ListenAddress {
  host: string | undefined
  port: number
}

/** listeners (first http:// entry) wins over rest.host.name/rest.port, as in Connect. */
export function listenAddress(cfg: Pick<WorkerConfig, 'listeners' | 'rest.host.name' | 'rest.port'>): ListenAddress {
  const first = cfg.listeners[0]
  if (first !== undefined) {
    const u = new URL(first)
    if (u.protocol !== 'http:') throw new RestListenerError(`listeners=${first}: only http:// listeners are supported; use http://host:port`)
    return { host: u.hostname === '' ? undefined : u.hostname.replace(/^\[|\]$/g, ''), port: u.port === '' ? 80 : Number(u.port) }
  }
  return { host: cfg['rest.host.name'] === '' ? undefined : cfg['rest.host.name'], port: cfg['rest.port'] }
}

export class RestServer {
  private server: http.Server | undefined
  private readonly log = createLogger('connect-rest')

  /** The herder may be attached after start() (its worker id needs the bound port). */
  constructor(private herder?: Herder) {}

  attach(herder: Herder): void {
    this.herder = herder
  }

  async start(addr: ListenAddress): Promise<{ host: string; port: number; url: string }> {
    const server = http.createServer((req, res) => { void this.handle(req, res) })
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(addr, e)))
      server.listen(addr.port, addr.host, () => { server.removeAllListeners('error'); resolve() })
    })
    const a = server.address() as AddressInfo
    const host = addr.host ?? '127.0.0.1'
    return { host, port: a.port, url: `http://${host.includes(':') ? `[${host}]` : host}:${a.port}` }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (this.herder === undefined) {
      sendError(res, 503, 'The worker is starting; try again shortly')
      return
    }
    const path = url.pathname.replace(/\/+$/, '')
    const found = match(req.method ?? 'GET', path)
    if ('status' in found) {
      sendError(res, found.status, found.status === 404 ? `Unknown path ${url.pathname}` : `Method ${req.method} not allowed on ${url.pathname}`)
      return
    }
    try {
      const result = await found.route.handler({ herder: this.herder, params: found.params, query: url.searchParams, req })
      if (result.text !== undefined) {
        res.writeHead(result.status, { 'content-type': result.text.contentType })
        res.end(result.text.body)
      } else sendJson(res, result.status, result.body)
    } catch (e) {
      const status = statusOf(e)
      if (status >= 500) this.log.error({ err: e, method: req.method, path }, 'REST request failed')
      sendError(res, status, e instanceof Error ? e.message : String(e))
    }
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

function listenError(addr: ListenAddress, e: NodeJS.ErrnoException): Error {
  const where = `${addr.host ?? '0.0.0.0'}:${addr.port}`
  if (e.code === 'EADDRINUSE') return new RestListenerError(`REST listener ${where} is already in use (another worker?); set listeners=http://host:port to a free port (0 picks one)`, { cause: e })
  if (e.code === 'EACCES') return new RestListenerError(`REST listener ${where}: no permission to bind; use a port above 1023 in listeners=http://host:port`, { cause: e })
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return new RestListenerError(`REST listener ${where}: no such local address; set listeners=http://<an address of this host>:port`, { cause: e })
  return e
}
