// Small HTTP helpers: JSON bodies in and out, and Connect's error shape {error_code, message}.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { GodwitError } from '../../config'

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** Maps runtime errors to the status codes Connect uses. */
export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status
  if (err instanceof GodwitError) {
    switch (err.code) {
      case 'CONNECT_CONNECTOR_NOT_FOUND':
      case 'CONNECT_TASK_NOT_FOUND':
        return 404
      case 'CONNECT_CONNECTOR_EXISTS':
        return 409
      case 'CONNECT_CONFIG_INVALID':
      case 'CONNECT_PLUGIN_NOT_FOUND':
      case 'CONFIG_INVALID':
      case 'CONNECT_STATE_CONFLICT':
        return 400
      default:
        return 500
    }
  }
  return 500
}

export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined || status === 204) {
    res.writeHead(status)
    res.end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error_code: status, message })
}

const MAX_BODY = 8 * 1024 * 1024

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new HttpError(413, 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new HttpError(400, `Request body is not valid JSON: ${(e as Error).message}`)
  }
}
