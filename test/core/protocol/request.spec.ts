import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { decodeResponse, encodeRequest } from '../../../core/protocol/client-codec'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { MalformedRequestError, UnknownApiError, UnsupportedVersionError } from '../../../core/protocol/errors'
import { decodeRequest, encodeResponse, encodeResponseChunks, isRequest, unsupportedVersionResponse } from '../../../core/protocol/request'

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')
const str16 = (s: string) => Buffer.concat([Buffer.from([0, s.length]), Buffer.from(s)]).toString('hex')

describe('core/protocol/request', () => {
  it('decodes a golden Metadata v1 request (header v1)', () => {
    const frame = hex(`0003 0001 00000007 ${str16('id')} 00000002 ${str16('foo')} ${str16('b')}`)
    const req = decodeRequest(frame)
    assert.deepEqual(req.header, { apiKey: ApiKey.Metadata, apiVersion: 1, correlationId: 7, clientId: 'id' })
    assert.ok(isRequest(req, ApiKey.Metadata))
    assert.deepEqual(req.body, { topics: [{ name: 'foo' }, { name: 'b' }], allowAutoTopicCreation: true })
    assert.equal((decodeRequest(hex('0003 0001 00000007 ffff ffffffff')).body as { topics: unknown }).topics, null)
  })

  it('decodes a golden ApiVersions v3 request (flexible body, header v2 with tags)', () => {
    const frame = hex(`0012 0003 00000001 ${str16('rdkafka')} 00 0b ${Buffer.from('librdkafka').toString('hex')} 06 ${Buffer.from('2.3.0').toString('hex')} 00`)
    const req = decodeRequest(frame)
    assert.equal(req.header.clientId, 'rdkafka')
    assert.deepEqual(req.body, { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.3.0' })
  })

  it('decodes a golden flexible IncrementalAlterConfigs v1 request, skipping unknown header tags', () => {
    const frame = hex(`002c 0001 00000005 ${str16('adm')} 01 07 02 abcd` + // header v2 with one unknown tag
      '02 02 0278' + // 1 resource: type 2, name 'x'
      '03 0261 00 0235 00 0262 01 00 00' + // 2 configs: a SET '5', b DELETE null; config tags
      '00 01 00') // resource tags, validateOnly, body tags
    const req = decodeRequest(frame)
    assert.equal(req.header.clientId, 'adm')
    assert.deepEqual(req.body, {
      resources: [{ resourceType: 2, resourceName: 'x', configs: [{ name: 'a', configOperation: 0, value: '5' }, { name: 'b', configOperation: 1, value: null }] }],
      validateOnly: true,
    })
  })

  it('encodes an ApiVersions v3 response with header v0 and a flexible body', () => {
    const out = encodeResponse({ apiKey: ApiKey.ApiVersions, apiVersion: 3, correlationId: 1 },
      { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 7 }], throttleTimeMs: 0, zkMigrationReady: true })
    // size, correlation id (no header tags), error, compact array of 1, entry + its tags, throttle, 1 tag (3) of 1 byte
    assert.equal(out.toString('hex'), '00000016' + '00000001' + '0000' + '02' + '000000030007' + '00' + '00000000' + '01' + '03' + '01' + '01')
  })

  it('uses response header v1 for flexible versions of other APIs', () => {
    const out = encodeResponse({ apiKey: ApiKey.IncrementalAlterConfigs, apiVersion: 1, correlationId: 258 }, { throttleTimeMs: 0, responses: [] })
    assert.equal(out.toString('hex'), '0000000b' + '00000102' + '00' + '00000000' + '01' + '00')
    const v0 = encodeResponse({ apiKey: ApiKey.IncrementalAlterConfigs, apiVersion: 0, correlationId: 258 }, { throttleTimeMs: 0, responses: [] })
    assert.equal(v0.toString('hex'), '0000000c' + '00000102' + '00000000' + '00000000')
  })

  it('answers an unsupported ApiVersions version in v0 format with error 35 and every range', () => {
    const out = unsupportedVersionResponse({ correlationId: 9 })
    assert.equal(out.readInt32BE(0), out.length - 4)
    assert.equal(out.subarray(4, 10).toString('hex'), '00000009' + '0023')
    const { correlationId, body } = decodeResponse(ApiKey.ApiVersions, 0, out.subarray(4))
    assert.equal(correlationId, 9)
    assert.equal(body.errorCode, ErrorCode.UNSUPPORTED_VERSION)
    assert.deepEqual(body.apiKeys.find((k) => k.apiKey === ApiKey.Produce), { apiKey: 0, minVersion: 0, maxVersion: 7 })
    assert.equal(body.apiKeys.length, 31)
  })

  it('throws UnsupportedVersionError carrying the header', () => {
    const frame = hex(`0012 0009 0000002a ${str16('cli')} 00 00`)
    assert.throws(() => decodeRequest(frame), (e: unknown) => {
      assert.ok(e instanceof UnsupportedVersionError)
      assert.deepEqual(e.header, { apiKey: 18, apiVersion: 9, correlationId: 42, clientId: 'cli' })
      assert.equal(e.maxVersion, 3)
      assert.match(e.message, /api key 18 version 9 is not supported \(supported: 0-3\)/)
      return true
    })
    assert.throws(() => decodeRequest(hex(`0000 0008 00000001 ffff`)), UnsupportedVersionError)
  })

  it('throws UnknownApiError for keys we do not serve', () => {
    assert.throws(() => decodeRequest(hex(`003c 0000 00000001 ffff`)), (e: unknown) => e instanceof UnknownApiError && /api key 60/.test((e as Error).message))
  })

  it('throws MalformedRequestError on truncation, trailing bytes and absurd counts', () => {
    const cases: [string, RegExp][] = [
      ['0003 00', /request header: needs 2 bytes/],
      [`0003 0001 00000007 ${str16('id')} 000000`, /Metadata v1 request \(correlation id 7\): topics: needs 4 bytes/],
      [`0003 0001 00000007 ${str16('id')} ffffffff 00`, /1 unexpected trailing bytes/],
      [`0003 0001 00000007 ${str16('id')} 7fffffff 0000`, /topics: array count 2147483647 exceeds the 2 bytes remaining/],
      [`0003 0001 00000007 ${str16('id')} 00000001 fff0`, /topics\.name: negative length -16/],
      [`0003 0001 00000007 fffe`, /negative client id length/],
    ]
    for (const [h, re] of cases) {
      assert.throws(() => decodeRequest(hex(h)), (e: unknown) => e instanceof MalformedRequestError && re.test((e as Error).message), h)
    }
  })

  it('keeps records as views of the request frame and sends them by reference', () => {
    const records = Buffer.alloc(1000, 3)
    const frame = encodeRequest({ apiKey: ApiKey.Produce, apiVersion: 7, correlationId: 1, clientId: null },
      { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] })
    const body = decodeRequest(frame.subarray(4)).body as { topicData: { partitionData: { records: Buffer }[] }[] }
    const got = body.topicData[0].partitionData[0].records
    assert.ok(got.equals(records))
    assert.equal(got.buffer, frame.buffer, 'a subarray of the frame')
    const chunks = encodeResponseChunks({ apiKey: ApiKey.Fetch, apiVersion: 4, correlationId: 1 }, {
      throttleTimeMs: 0,
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 1, lastStableOffset: 1, abortedTransactions: null, records }] }],
    })
    assert.ok(chunks.includes(records))
    assert.equal(chunks[0].readInt32BE(0), chunks.slice(1).reduce((n, c) => n + c.length, 0))
  })

  it('explains an unencodable response', () => {
    assert.throws(() => encodeResponse({ apiKey: ApiKey.Produce, apiVersion: 7, correlationId: 1 },
      { responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 2 ** 60, logAppendTimeMs: -1 }] }], throttleTimeMs: 0 }),
    /Produce v7 response: responses\[0\]\.partitionResponses\[0\]\.baseOffset: int64 value .* is not a safe integer/)
  })
})
