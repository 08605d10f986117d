// A minimal TCP server built only from the codecs (FrameDecoder, decodeRequest, encodeResponse),
// so real clients (librdkafka via kcat) can act as oracles for our bytes without the broker.
import { execFile } from 'node:child_process'
import * as net from 'node:net'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { UnsupportedVersionError } from '../../../../core/protocol/errors'
import { FrameDecoder } from '../../../../core/protocol/frame'
import { supportedApiVersions } from '../../../../core/protocol/registry'
import { AnyDecodedRequest, decodeRequest, encodeResponse, isRequest, unsupportedVersionResponse } from '../../../../core/protocol/request'

export interface CodecServer {
  port: number
  /** "ApiName vN" of every request decoded, in arrival order. */
  seen: string[]
  close(): Promise<void>
}

/** answer returns the encoded response frame, or undefined to send nothing (acks=0). */
export async function startCodecServer(answer: (req: AnyDecodedRequest, port: number) => Buffer | undefined): Promise<CodecServer> {
  const seen: string[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    const frames = new FrameDecoder()
    socket.on('data', (chunk) => {
      for (const frame of frames.push(chunk)) {
        let req: AnyDecodedRequest
        try {
          req = decodeRequest(frame)
        } catch (e) {
          if (e instanceof UnsupportedVersionError && e.header.apiKey === ApiKey.ApiVersions) socket.write(unsupportedVersionResponse(e.header))
          else socket.destroy()
          continue
        }
        seen.push(`${ApiKey[req.header.apiKey]} v${req.header.apiVersion}`)
        const out = answer(req, port)
        if (out !== undefined) socket.write(out)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    seen,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    }),
  }
}

/** Runs kcat with the given arguments and stdin; resolves with its stdout. */
export function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: 20000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`))
      else resolve(stdout)
    })
    child.stdin?.end(input ?? '')
  })
}

/** Answers Metadata: one broker (this server), topic "orders" with partitions 0 and 1. */
export function metadata(req: AnyDecodedRequest, port: number): Buffer | undefined {
  if (!isRequest(req, ApiKey.Metadata)) return undefined
  return encodeResponse(req.header, {
    throttleTimeMs: 0, clusterId: 'godwit-test', controllerId: 1,
    brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
    topics: [{ errorCode: 0, name: 'orders', isInternal: false, partitions: [0, 1].map((p) => ({
      errorCode: 0, partitionIndex: p, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [],
    })) }],
  })
}

/** Answers ApiVersions from the registry, or UNSUPPORTED_VERSION above maxApiVersions. */
export function apiVersions(req: AnyDecodedRequest, maxApiVersions = 3): Buffer | undefined {
  if (!isRequest(req, ApiKey.ApiVersions)) return undefined
  if (req.header.apiVersion > maxApiVersions) {
    const ranges = supportedApiVersions().map((r) => (r.apiKey === ApiKey.ApiVersions ? { ...r, maxVersion: maxApiVersions } : r))
    return unsupportedVersionResponse(req.header, ranges)
  }
  return encodeResponse(req.header, { errorCode: 0, apiKeys: supportedApiVersions(), throttleTimeMs: 0 })
}
