import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { encodeResponse, isRequest } from '../../../core/protocol/request'
import { CodecServer, apiVersions, kcat, metadata, startCodecServer } from './helpers/codec-server'
import { kafkajs } from './helpers/kafkajs-oracle'

// librdkafka (through kcat) as an oracle: a server made only of the codecs answers it, and kcat
// must list, produce and consume exactly what we encode. librdkafka sends the flexible
// ApiVersions v3 request first and picks the highest versions we advertise.
describe('core/protocol vs librdkafka (kcat against a codec-only server)', () => {
  let server: CodecServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('kcat -L lists the brokers and topics we encode', async () => {
    server = await startCodecServer((req, port) => apiVersions(req) ?? metadata(req, port))
    const out = await kcat(['-L', '-b', `127.0.0.1:${server.port}`, '-m', '10'])
    assert.match(out, /1 brokers:\s+broker 1 at 127\.0\.0\.1:\d+/)
    assert.match(out, /topic "orders" with 2 partitions:/)
    assert.match(out, /partition 1, leader 1, replicas: 1, isrs: 1/)
    assert.equal(server.seen[0], 'ApiVersions v3')
    assert.ok(server.seen.some((s) => /^Metadata v[1-6]$/.test(s)), server.seen.join(', '))
  })

  // Like Kafka, the answer is in v0 format. librdkafka reads a v3 reply's array count as compact,
  // finds no list, and retries at v0; either way the client must recover and carry on.
  it('kcat recovers from our UNSUPPORTED_VERSION answer by retrying ApiVersions lower', async () => {
    server = await startCodecServer((req, port) => apiVersions(req, 2) ?? metadata(req, port))
    const out = await kcat(['-L', '-b', `127.0.0.1:${server.port}`, '-m', '10'])
    assert.match(out, /topic "orders" with 2 partitions:/)
    assert.equal(server.seen[0], 'ApiVersions v3')
    assert.match(server.seen[1], /^ApiVersions v[0-2]$/)
  })

  it('kcat -P: we decode its Produce request and it accepts our Produce response', async () => {
    const batches: Buffer[] = []
    server = await startCodecServer((req, port) => {
      if (!isRequest(req, ApiKey.Produce)) return apiVersions(req) ?? metadata(req, port)
      const responses = req.body.topicData.map((t) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => {
          if (p.records !== null) batches.push(Buffer.from(p.records))
          return { index: p.index, errorCode: 0, baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0 }
        }),
      }))
      return encodeResponse(req.header, { responses, throttleTimeMs: 0 })
    })
    await kcat(['-P', '-b', `127.0.0.1:${server.port}`, '-t', 'orders', '-p', '1', '-K', ':', '-X', 'compression.codec=none'], 'k1:v1\nk2:v2\n')
    const produce = server.seen.find((s) => s.startsWith('Produce'))
    assert.match(produce ?? '', /^Produce v[3-7]$/, server.seen.join(', '))
    const Decoder = kafkajs('decoder')
    const decodeBatch = kafkajs('recordBatch/v0/decoder')
    const records = []
    for (const b of batches) records.push(...(await decodeBatch(new Decoder(b))).records)
    assert.deepEqual(records.map((r: { key: Buffer; value: Buffer }) => `${r.key}=${r.value}`), ['k1=v1', 'k2=v2'])
  })

  it('kcat -C: it reads the records of our ListOffsets and Fetch responses', async () => {
    const RecordBatch = kafkajs('recordBatch/v0').RecordBatch
    const Record = kafkajs('recordBatch/record/v0')
    const batch: Buffer = (await RecordBatch({
      records: [Record({ key: 'a', value: 'first', offsetDelta: 0 }), Record({ key: 'b', value: 'second', offsetDelta: 1 })],
      firstTimestamp: 1700000000000, maxTimestamp: 1700000000000, lastOffsetDelta: 1,
    })).buffer
    server = await startCodecServer((req, port) => {
      if (isRequest(req, ApiKey.ListOffsets)) {
        return encodeResponse(req.header, { throttleTimeMs: 0, topics: req.body.topics.map((t) => ({
          name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: 0 })),
        })) })
      }
      if (isRequest(req, ApiKey.Fetch)) {
        return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: req.body.topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partition, errorCode: 0, highWatermark: 2, lastStableOffset: 2, logStartOffset: 0,
            abortedTransactions: null, preferredReadReplica: -1, records: p.fetchOffset === 0 ? batch : Buffer.alloc(0),
          })),
        })) })
      }
      return apiVersions(req) ?? metadata(req, port)
    })
    const out = await kcat(['-C', '-b', `127.0.0.1:${server.port}`, '-t', 'orders', '-p', '0', '-o', 'beginning', '-e', '-f', '%o %k=%s\\n'])
    assert.equal(out, '0 a=first\n1 b=second\n')
    assert.ok(server.seen.some((s) => /^Fetch v([4-9]|1[01])$/.test(s)), server.seen.join(', '))
  })
})
