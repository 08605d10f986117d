// A minimal TCP server built only from the codecs (FrameDecoder, decodeRequest, encodeResponse),
// so real clients (librdkafka via kcat) can act as oracles for our bytes without the broker.
import * as net from 'node:net'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { UnsupportedVersionError } from '../../../../core/protocol/errors'
import { FrameDecoder } from '../../../../core/protocol/frame'
import { AnyDecodedRequest, decodeRequest, unsupportedVersionResponse } from '../../../../core/protocol/request'

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
