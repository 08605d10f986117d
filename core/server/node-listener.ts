// The TCP listener of one logical broker. 'localhost' may resolve to 127.0.0.1, ::1 or both
// depending on the machine; we bind every address it resolves to (on one port) so clients reach
// us whichever one they try first. SSL and SASL_SSL listeners are node:tls servers: a connection
// is served once its handshake is done, and the TLS socket frames requests like a TCP one.
import * as dns from 'node:dns/promises'
import * as net from 'node:net'
import * as tls from 'node:tls'
import type { Logger } from '../../config'
import { Connection } from './connection'
import { ListenError } from './errors'
import type { Cluster } from './request-context'
import { PLAINTEXT_LISTENER, sslPrincipal, type ListenerSecurity } from './security/listener-security'

export class NodeListener {
  private readonly servers: net.Server[] = []
  private readonly sockets = new Map<net.Socket, Connection | undefined>()
  /** The TCP sockets under TLS connections, those still in their handshake included (destroyed on close). */
  private readonly handshaking = new Set<net.Socket>()
  port = 0

  constructor(
    readonly nodeId: number,
    private readonly cluster: () => Cluster,
    private readonly log: Logger,
    readonly security: ListenerSecurity = PLAINTEXT_LISTENER,
  ) {}

  private createServer(): net.Server {
    const opts = this.security.tls
    if (opts === undefined) return net.createServer((socket) => this.accept(socket))
    const { clientAuth, ...tlsOptions } = opts
    const server = tls.createServer(tlsOptions, (socket) => {
      // ssl.client.auth=requested: no certificate is fine, a certificate that fails verification is not.
      if (clientAuth === 'requested' && !socket.authorized && socket.getPeerX509Certificate() !== undefined) {
        this.log.info({ err: String(socket.authorizationError) }, 'closing connection: client certificate not trusted')
        socket.destroy()
        return
      }
      this.accept(socket)
    })
    server.on('connection', (raw: net.Socket) => {
      this.handshaking.add(raw)
      raw.once('close', () => this.handshaking.delete(raw))
    })
    // A client that is not speaking TLS, or whose certificate is refused: that connection only.
    server.on('tlsClientError', (err, socket) => {
      this.log.info({ err: err.message, client: `${socket.remoteAddress}:${socket.remotePort}` }, 'TLS handshake failed')
    })
    return server
  }

  async listen(host: string, port: number): Promise<void> {
    const hosts = await bindAddresses(host)
    let p = port
    for (const h of hosts) {
      const server = this.createServer()
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err) => reject(new ListenError(`node ${this.nodeId} cannot listen on ${h}:${p}: ${err.message}`, { cause: err })))
        server.listen({ host: h === '' ? undefined : h, port: p }, () => resolve())
      }).catch(async (err) => {
        await this.close()
        throw err
      })
      server.on('error', (err) => this.log.error({ err }, 'listener error'))
      this.servers.push(server)
      p = (server.address() as net.AddressInfo).port
    }
    this.port = p
  }

  /** Connections accepted before open() wait here, unread, so nobody sees a half-started cluster. */
  private waiting: net.Socket[] | undefined = []

  /** Starts serving: called once every node of the cluster is bound and known. */
  open(): void {
    const waiting = this.waiting ?? []
    this.waiting = undefined
    for (const socket of waiting) if (!socket.destroyed) this.serve(socket)
  }

  private accept(socket: net.Socket): void {
    this.sockets.set(socket, undefined)
    socket.once('close', () => this.sockets.delete(socket))
    socket.on('error', () => undefined)
    if (this.waiting !== undefined) this.waiting.push(socket)
    else this.serve(socket)
  }

  private serve(socket: net.Socket): void {
    const log = this.log.child({ client: `${socket.remoteAddress}:${socket.remotePort}` })
    const principal = socket instanceof tls.TLSSocket && socket.authorized ? sslPrincipal(socket) : undefined
    this.sockets.set(socket, new Connection(socket, this.nodeId, this.cluster(), log, this.security, principal))
  }

  /**
   * Stops accepting, lets requests already read finish and their responses go out (at most
   * `drainMs`; long-polling fetches are woken by the cluster's stop signal), then disconnects.
   */
  async close(drainMs = 5000): Promise<void> {
    const closing = this.servers.map((s) => new Promise<void>((r) => s.close(() => r())))
    const connections = [...this.sockets.values()].filter((c): c is Connection => c !== undefined)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(connections.map((c) => c.drain())),
      new Promise<void>((r) => { timer = setTimeout(r, drainMs) }),
    ])
    clearTimeout(timer)
    for (const s of this.sockets.keys()) s.destroy()
    for (const s of this.handshaking) s.destroy()
    await Promise.all(closing)
    this.servers.length = 0
  }
}

async function bindAddresses(host: string): Promise<string[]> {
  if (host.toLowerCase() !== 'localhost') return [host]
  try {
    const found = await dns.lookup(host, { all: true })
    const unique = [...new Set(found.map((a) => a.address))]
    return unique.length > 0 ? unique : ['127.0.0.1']
  } catch {
    return ['127.0.0.1']
  }
}
