import * as assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import * as net from 'node:net'
import { ApiKey } from '../../../core/protocol/api-keys'
import { UnsupportedVersionError } from '../../../core/protocol/errors'
import { FrameDecoder } from '../../../core/protocol/frame'
import { supportedApiVersions } from '../../../core/protocol/registry'
import { AnyDecodedRequest, decodeRequest, encodeResponse, isRequest, unsupportedVersionResponse } from '../../../core/protocol/request'

// librdkafka (through kcat) as an oracle: a minimal server built only from the codecs answers
// ApiVersions and Metadata; `kcat -L` must print exactly the cluster we describe. This checks the
// flexible ApiVersions v3 request librdkafka sends first, our v3 response (header v0), and the
// Metadata version librdkafka picks from our advertised range.
describe('core/protocol vs librdkafka (kcat -L against a codec-only server)', () => {
  let server: net.Server
  let port = 0
  const seen: string[] = []
  /** Pretend to be a broker whose ApiVersions stops at this version (to exercise error 35). */
  let apiVersionsMax = 3

  before(async () => {
    server = net.createServer((socket) => {
      const frames = new FrameDecoder()
      socket.on('error', () => socket.destroy())
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
          if (isRequest(req, ApiKey.ApiVersions) && req.header.apiVersion > apiVersionsMax) {
            const ranges = supportedApiVersions().map((r) => (r.apiKey === ApiKey.ApiVersions ? { ...r, maxVersion: apiVersionsMax } : r))
            socket.write(unsupportedVersionResponse(req.header, ranges))
            continue
          }
          socket.write(answer(req))
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as net.AddressInfo).port
  })

  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  function answer(req: AnyDecodedRequest): Buffer {
    if (isRequest(req, ApiKey.ApiVersions)) {
      return encodeResponse(req.header, { errorCode: 0, apiKeys: supportedApiVersions(), throttleTimeMs: 0 })
    }
    if (isRequest(req, ApiKey.Metadata)) {
      return encodeResponse(req.header, {
        throttleTimeMs: 0, clusterId: 'godwit-test', controllerId: 1,
        brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
        topics: [{ errorCode: 0, name: 'orders', isInternal: false, partitions: [0, 1].map((p) => ({
          errorCode: 0, partitionIndex: p, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [],
        })) }],
      })
    }
    throw new Error(`unexpected request ${ApiKey[req.header.apiKey]}`)
  }

  const kcatList = () => new Promise<string>((resolve, reject) => {
    execFile('kcat', ['-L', '-b', `127.0.0.1:${port}`, '-m', '10'], { timeout: 20000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat failed: ${err.message}\n${stderr}`))
      else resolve(stdout)
    })
  })

  beforeEach(() => {
    seen.length = 0
    apiVersionsMax = 3
  })

  it('lists the brokers and topics we encode', async () => {
    const out = await kcatList()
    assert.match(out, /1 brokers:\s+broker 1 at 127\.0\.0\.1:\d+/)
    assert.match(out, /topic "orders" with 2 partitions:/)
    assert.match(out, /partition 0, leader 1, replicas: 1, isrs: 1/)
    assert.match(out, /partition 1, leader 1, replicas: 1, isrs: 1/)
    assert.ok(seen.includes('ApiVersions v3'), `requests seen: ${seen.join(', ')}`)
    assert.ok(seen.some((s) => /^Metadata v[1-6]$/.test(s)), `requests seen: ${seen.join(', ')}`)
  })

  // Like Kafka, the answer is in v0 format. librdkafka reads a v3 reply's array count as compact,
  // finds no list, and retries at v0; either way the client must recover and carry on.
  it('recovers from our UNSUPPORTED_VERSION answer by retrying ApiVersions at a lower version', async () => {
    apiVersionsMax = 2
    const out = await kcatList()
    assert.match(out, /topic "orders" with 2 partitions:/)
    assert.equal(seen[0], 'ApiVersions v3')
    assert.match(seen[1], /^ApiVersions v[0-2]$/)
  })
})
