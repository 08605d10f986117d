// kafkajs as an oracle: its request encoders produce frames our decoder must read field by field,
// and its response decoders must read what our encoder writes. kafkajs ships its protocol source,
// so we load the per-version modules directly.
import * as assert from 'node:assert/strict'
import * as path from 'node:path'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { AnyDecodedRequest, decodeRequest, encodeResponse } from '../../../../core/protocol/request'

const PROTOCOL = path.join(path.dirname(require.resolve('kafkajs/package.json')), 'src', 'protocol')

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any

export function kafkajs(modulePath: string): Loose {
  return require(path.join(PROTOCOL, modulePath))
}

/** Encodes a request with kafkajs (header included) and decodes it with ours. */
export async function kafkajsRequestToOurs(api: string, version: number, apiKey: ApiKey, args: unknown): Promise<AnyDecodedRequest['body']> {
  const build = kafkajs(`requests/${api}/v${version}/request`)
  const request = Array.isArray(args) ? build(args) : build(args)
  const encoder = await kafkajs('request')({ correlationId: 77, clientId: 'oracle', request })
  const frame: Buffer = encoder.buffer
  assert.equal(frame.readInt32BE(0), frame.length - 4)
  const decoded = decodeRequest(frame.subarray(4))
  assert.deepEqual(decoded.header, { apiKey, apiVersion: version, correlationId: 77, clientId: 'oracle' })
  return decoded.body
}

// While we decode, remember every kafkajs Decoder that reads, so we can check the top-level one
// consumed the whole payload: kafkajs itself ignores trailing bytes, which would hide fields we
// wrote but should not. The wrappers are removed afterwards (other suites share kafkajs).
async function trackingDecoders<T>(run: () => Promise<T>): Promise<[T, Set<{ buffer: Buffer; offset: number }>]> {
  const decoders = new Set<{ buffer: Buffer; offset: number }>()
  const proto = kafkajs('decoder').prototype
  const originals = new Map<string, Loose>()
  for (const name of Object.getOwnPropertyNames(proto)) {
    const original = proto[name]
    if (!name.startsWith('read') || typeof original !== 'function') continue
    originals.set(name, original)
    proto[name] = function (this: { buffer: Buffer; offset: number }, ...args: unknown[]) {
      decoders.add(this)
      return original.apply(this, args)
    }
  }
  try {
    return [await run(), decoders]
  } finally {
    for (const [name, original] of originals) proto[name] = original
  }
}

/** Encodes a response with ours and decodes it with kafkajs (as its connection does). */
export async function ourResponseToKafkajs(api: string, version: number, apiKey: ApiKey, body: unknown, factoryArgs?: unknown): Promise<Loose> {
  const frame = encodeResponse({ apiKey, apiVersion: version, correlationId: 77 }, body as never)
  assert.equal(frame.readInt32BE(0), frame.length - 4)
  assert.equal(frame.readInt32BE(4), 77)
  let response = kafkajs(`requests/${api}/v${version}/response`)
  if (typeof response === 'function') response = response(factoryArgs)
  const payload = frame.subarray(8)
  const [decoded, decoders] = await trackingDecoders(() => response.decode(payload))
  const root = [...decoders].find((d) => d.buffer === payload)
  assert.ok(root, 'kafkajs decoded the payload')
  assert.equal(root.offset, payload.length, `kafkajs ${api} v${version} left ${payload.length - root.offset} bytes unread`)
  return decoded
}

/** kafkajs reports throttle time as clientSideThrottleTime from these versions on. */
export function throttle(version: number, clientSideFrom: number, ms: number): { throttleTime: number; clientSideThrottleTime?: number } {
  return version >= clientSideFrom ? { throttleTime: 0, clientSideThrottleTime: ms } : { throttleTime: ms }
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}
