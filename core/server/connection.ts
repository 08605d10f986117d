// One client connection: frames in, responses out. As Kafka guarantees, a connection's requests
// are processed in the order sent: each waits until the ones before it have finished, except
// that Produce and Fetch (which only touch partition logs) may overlap one another, so pipelined
// produces share fsyncs. Responses are written strictly in request order. Bad bytes (malformed
// frame, unknown API, oversized frame) close this connection only; the broker keeps serving
// everyone else.
import type * as net from 'node:net'
import type { Logger } from '../../config'
import { ApiKey } from '../protocol/api-keys'
import { FrameDecoder } from '../protocol/frame'
import { decodeRequest, encodeResponseChunks, unsupportedVersionResponse, type RequestHeader } from '../protocol/request'
import { UnsupportedVersionError } from '../protocol/errors'
import type { Cluster, RequestContext } from './request-context'
import { dispatch } from './dispatcher'
import { CloseConnection } from './errors'
import { ANONYMOUS } from './acls/authorizer'
import { SaslSession } from './security/sasl-session'
import { PLAINTEXT_LISTENER, type ListenerSecurity } from './security/listener-security'

/** Requests decoded but not yet answered before we stop reading from the socket. */
const MAX_IN_FLIGHT = 100
/** Response bytes queued in the socket (a client not reading) before we stop reading requests. */
const MAX_UNSENT_BYTES = 64 * 1024 * 1024

/** Node clamps socket timeouts above this to 1 ms, so longer idle limits are capped here. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** APIs that may run alongside earlier requests of their kind (they only read or append partition logs). */
const DATA_APIS: ReadonlySet<number> = new Set([ApiKey.Produce, ApiKey.Fetch])

/** Response chunks to write (records by reference), nothing (acks=0), close, or write then close (failed SASL). */
type Outcome = Buffer[] | undefined | 'close' | { last: Buffer[] }

type DecodedHeader = RequestHeader & { apiKey: ApiKey }

export class Connection {
  private readonly decoder: FrameDecoder
  private tail: Promise<void> = Promise.resolve()
  private inFlight = 0
  private closed = false
  private draining = false
  /** Completion of every request decoded and not yet finished (handled or dropped). */
  private readonly unfinished = new Set<Promise<void>>()
  /** Completion of the latest request outside DATA_APIS, while it is unfinished. */
  private lastOther: Promise<void> | undefined
  /** Present on SASL listeners: nothing but ApiVersions and SASL is served until it completes. */
  private readonly sasl: SaslSession | undefined
  private principal: string
  private authenticated = false

  constructor(
    private readonly socket: net.Socket,
    private readonly nodeId: number,
    private readonly cluster: Cluster,
    private readonly log: Logger,
    private readonly listener: ListenerSecurity = PLAINTEXT_LISTENER,
    /** User:<certificate DN> when a TLS client certificate was verified, else User:ANONYMOUS. */
    sslPrincipal?: string,
  ) {
    this.principal = sslPrincipal ?? ANONYMOUS
    this.sasl = listener.sasl === undefined ? undefined : new SaslSession(listener.sasl, cluster.scramCredentials)
    this.decoder = new FrameDecoder({ maxFrameBytes: cluster.config['socket.request.max.bytes'] })
    if (this.sasl !== undefined) this.decoder.setMaxFrameBytes(Math.min(this.sasl.config.maxReceiveSize, cluster.config['socket.request.max.bytes']), 'sasl.server.max.receive.size (before authentication)')
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (err) => this.log.debug({ err: err.message }, 'connection error'))
    socket.on('close', () => { this.closed = true })
    socket.on('drain', () => this.updateFlow())
    const idleMs = cluster.config['connections.max.idle.ms']
    if (idleMs >= 0) {
      // Node re-arms the socket timeout on every read and write; it fires once per quiet period.
      socket.setTimeout(Math.min(Math.max(idleMs, 1), MAX_TIMER_MS))
      socket.on('timeout', () => this.onIdle())
    }
  }

  /** connections.max.idle.ms passed with no traffic: close, unless a response is still owed. */
  private onIdle(): void {
    if (this.closed) return
    if (this.inFlight > 0) {
      // Quiet because a request is parked (long poll, JoinGroup): not idle. Check again later.
      this.socket.setTimeout(this.socket.timeout ?? 0)
      return
    }
    this.log.debug('closing idle connection (connections.max.idle.ms)')
    this.closed = true
    this.socket.destroy()
  }

  /** Reads requests only while few are pending and the client keeps reading its responses. */
  private updateFlow(): void {
    if (this.closed) return
    const busy = this.inFlight >= MAX_IN_FLIGHT || this.socket.writableLength > MAX_UNSENT_BYTES
    if ((busy || this.draining) && !this.socket.isPaused()) this.socket.pause()
    else if (!busy && !this.draining && this.socket.isPaused()) this.socket.resume()
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.decoder.push(chunk)
    } catch (err) {
      this.abort('bad frame', err)
      return
    }
    for (const frame of frames) this.enqueue(this.process(frame))
  }

  /** Chains the write of this response after the previous one, whatever order handlers finish in. */
  private enqueue(outcome: Promise<Outcome>): void {
    this.inFlight++
    this.updateFlow()
    this.tail = this.tail.then(async () => {
      const out = await outcome
      this.inFlight--
      if (this.closed) return
      if (out === 'close') {
        this.closed = true
        this.socket.destroy()
        return
      }
      if (out !== undefined && !Array.isArray(out)) {
        // The answer goes out, then the connection ends (Kafka after a failed authentication).
        this.closed = true
        for (const chunk of out.last) this.socket.write(chunk)
        this.socket.end()
        return
      }
      if (out !== undefined) {
        this.socket.cork()
        for (const chunk of out) this.socket.write(chunk)
        this.socket.uncork()
      }
      this.updateFlow()
    }).catch((err: unknown) => {
      // Nothing above should throw; if it does, lose this connection rather than the process.
      this.abort('failed writing a response', err)
    })
  }

  private process(frame: Buffer): Promise<Outcome> {
    let req: ReturnType<typeof decodeRequest>
    try {
      req = decodeRequest(frame)
    } catch (err) {
      // Kafka answers an ApiVersions request it cannot parse with the versions it does support,
      // so new clients can downgrade; anything else undecodable ends the connection.
      if (err instanceof UnsupportedVersionError && err.header.apiKey === ApiKey.ApiVersions) {
        return Promise.resolve([unsupportedVersionResponse(err.header)])
      }
      this.log.info({ err: (err as Error).message }, 'closing connection: undecodable request')
      return Promise.resolve('close')
    }
    const { header, body } = req
    this.log.trace({ apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId }, 'request')
    return this.inOrder(header.apiKey, () => this.handle(header, body))
  }

  /**
   * Runs `work` once the requests it must follow have finished: all earlier ones, or for Produce
   * and Fetch the latest earlier non-data one (which itself waited for everything before it).
   * With nothing to wait for it starts at once, synchronously, so pipelined produces reach their
   * partition logs in arrival order. At most MAX_IN_FLIGHT requests are ever unfinished.
   */
  private inOrder(apiKey: number, work: () => Promise<Outcome>): Promise<Outcome> {
    const data = DATA_APIS.has(apiKey)
    const after = data ? this.lastOther : this.unfinished.size > 0 ? Promise.all(this.unfinished) : undefined
    // A request still queued when the client hangs up is dropped, as unread bytes are in Kafka.
    const outcome = after === undefined ? work() : after.then(() => (this.closed ? undefined : work()))
    const done = outcome.then(() => undefined, () => undefined)
    this.unfinished.add(done)
    if (!data) this.lastOther = done
    void done.then(() => {
      this.unfinished.delete(done)
      if (this.lastOther === done) this.lastOther = undefined
    })
    return outcome
  }

  private async handle(header: DecodedHeader, body: unknown): Promise<Outcome> {
    if (this.sasl !== undefined && !this.sasl.allows(header.apiKey)) {
      this.log.info({ apiKey: header.apiKey, saslState: this.sasl.state }, 'closing connection: request before SASL authentication completed')
      return 'close'
    }
    const ctx: RequestContext = {
      apiVersion: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      clientHost: this.socket.remoteAddress ?? '',
      nodeId: this.nodeId,
      cluster: this.cluster,
      log: this.log,
      principal: this.principal,
      listenerName: this.listener.name,
      sasl: this.sasl,
    }
    try {
      const response = await dispatch(header.apiKey, body, ctx)
      if (response === undefined) return undefined
      const chunks = encodeResponseChunks(header, response as never)
      if (this.sasl !== undefined) {
        if (this.sasl.state === 'failed') return { last: chunks }
        if (this.sasl.user !== undefined && !this.authenticated) {
          // Authenticated: the principal is the SASL user, and full-size requests are welcome.
          this.authenticated = true
          this.principal = `User:${this.sasl.user}`
          this.decoder.setMaxFrameBytes(this.cluster.config['socket.request.max.bytes'], 'socket.request.max.bytes')
        }
      }
      return chunks
    } catch (err) {
      if (err instanceof CloseConnection) {
        this.log.info({ reason: err.reason }, 'closing connection')
        return 'close'
      }
      // A handler bug: the client gets a closed connection (it reconnects and retries), the broker lives on.
      this.log.error({ err, apiKey: header.apiKey, apiVersion: header.apiVersion }, 'request failed; closing connection')
      return 'close'
    }
  }

  /** Reads no further requests; resolves once every response already owed has been written. */
  async drain(): Promise<void> {
    this.draining = true
    this.socket.pause()
    await this.tail
    // Responses still buffered in the socket must reach the kernel before we destroy it.
    if (!this.closed && this.socket.writableLength > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => { this.socket.off('drain', done); this.socket.off('close', done); resolve() }
        this.socket.once('drain', done)
        this.socket.once('close', done)
      })
    }
  }

  private abort(why: string, err: unknown): void {
    this.log.info({ err: (err as Error).message }, `closing connection: ${why}`)
    this.closed = true
    this.socket.destroy()
  }
}
