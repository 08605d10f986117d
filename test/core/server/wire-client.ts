// A bare Kafka wire client for broker tests: sends frames encoded by core/protocol's client
// codec (or raw bytes) over one socket and hands back response frames in arrival order.
import * as net from 'node:net'
import { ApiKey } from '../../../core/protocol/api-keys'
import { encodeRequest, decodeResponse } from '../../../core/protocol/client-codec'
import { FrameDecoder } from '../../../core/protocol/frame'
import type { RequestOf, ResponseOf } from '../../../core/protocol/registry'
import { startTestCluster, type TestCluster, type TestClusterOptions } from '../../helpers/cluster'

export class WireClient {
  private readonly decoder = new FrameDecoder()
  private readonly frames: Buffer[] = []
  private waiters: (() => void)[] = []
  private correlation = 1
  closed = false

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) this.frames.push(Buffer.from(f))
      this.wake()
    })
    socket.on('close', () => { this.closed = true; this.wake() })
    socket.on('error', () => undefined)
  }

  static connect(hostPort: string): Promise<WireClient> {
    const i = hostPort.lastIndexOf(':')
    const host = hostPort.slice(0, i).replace(/^\[|\]$/g, '')
    const port = Number(hostPort.slice(i + 1))
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => resolve(new WireClient(s)))
      s.once('error', reject)
    })
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  /** Encodes and sends a request; returns its correlation id. */
  send<K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestOf<K>, clientId: string | null = 'wire-test'): number {
    const correlationId = this.correlation++
    this.socket.write(encodeRequest({ apiKey, apiVersion, correlationId, clientId }, body))
    return correlationId
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes)
  }

  /** The next response frame, or undefined if the connection closed first. */
  async nextFrame(timeoutMs = 10000): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs
    while (this.frames.length === 0) {
      if (this.closed) return undefined
      if (Date.now() > deadline) throw new Error('no response frame within the deadline')
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()))
        this.waiters.push(() => { clearTimeout(t); r() })
      })
    }
    return this.frames.shift()
  }

  async request<K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestOf<K>): Promise<ResponseOf<K>> {
    const id = this.send(apiKey, apiVersion, body)
    const frame = await this.nextFrame()
    if (frame === undefined) throw new Error('connection closed before the response')
    const res = decodeResponse(apiKey, apiVersion, frame)
    if (res.correlationId !== id) throw new Error(`expected correlation id ${id}, got ${res.correlationId}`)
    return res.body
  }

  /** Creates a topic (CreateTopics v1) and resolves to its error code. */
  async createTopic(name: string, numPartitions = 1, configs: Record<string, string> = {}): Promise<number> {
    const res = await this.request(ApiKey.CreateTopics, 1, {
      topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
      timeoutMs: 30000, validateOnly: false,
    })
    return res.topics[0].errorCode
  }

  /** Resolves true once the broker has closed the connection. */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    return this.closed
  }

  close(): void {
    this.socket.destroy()
  }
}

/**
 * For a describe block: a test cluster started before its tests and one WireClient on its first
 * node, both closed after them. Read `tc` and `c` inside the tests (they are set by then).
 */
export function useWireCluster(opts: TestClusterOptions = {}): { readonly tc: TestCluster; readonly c: WireClient } {
  let tc: TestCluster | undefined
  let c: WireClient | undefined
  before(async () => {
    tc = await startTestCluster(opts)
    c = await WireClient.connect(tc.bootstrapServers[0])
  })
  after(async () => {
    c?.close()
    await tc?.stop()
  })
  return {
    get tc() { if (tc === undefined) throw new Error('the test cluster is not started yet'); return tc },
    get c() { if (c === undefined) throw new Error('the wire client is not connected yet'); return c },
  }
}
