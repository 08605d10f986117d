// Connection handling: pipelined requests answered in order, the ApiVersions downgrade answer,
// and bad bytes closing only the connection that sent them.
import assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { decodeResponse } from '../../../core/protocol/client-codec'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { encodeBatch } from '../../../core/protocol/records/record-codec'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { WireClient } from './wire-client'

describe('core/server/connection', () => {
  let tc: TestCluster
  before(async () => { tc = await startTestCluster({ config: { 'socket.request.max.bytes': '65536' } }) })
  after(async () => { await tc.stop() })

  it('answers pipelined requests in request order even when a later one finishes first', async () => {
    const polled = uniqueName('pipeline-poll')
    const written = uniqueName('pipeline-write')
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      assert.equal(await c.createTopic(polled), ErrorCode.NONE)
      assert.equal(await c.createTopic(written), ErrorCode.NONE)
      const started = Date.now()
      const fetchId = c.send(ApiKey.Fetch, 4, {
        replicaId: -1, maxWaitMs: 400, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: polled, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [], rackId: '',
      })
      // Produce and Fetch may overlap (as pipelined produces must, to share fsyncs): the append
      // is done long before the fetch's long poll ends, yet its response comes second.
      const produceId = c.send(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: written, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: 'v' }] }) }] }] })
      const log = tc.cluster.state.logs.partition(written, 0)!
      await waitFor('the pipelined produce appended during the long poll', () => log.highWatermark === 1)
      const first = decodeResponse(ApiKey.Fetch, 4, (await c.nextFrame())!)
      const second = decodeResponse(ApiKey.Produce, 7, (await c.nextFrame())!)
      assert.equal(first.correlationId, fetchId)
      assert.equal(second.correlationId, produceId)
      assert.ok(Date.now() - started >= 350, 'the fetch long-polled for maxWaitMs')
      assert.equal(second.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE)
    } finally {
      c.close()
    }
  })

  it("processes one connection's requests in order, as Kafka guarantees: a Produce pipelined behind its topic's CreateTopics succeeds", async () => {
    const topic = uniqueName('pipeline-create')
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const createId = c.send(ApiKey.CreateTopics, 1, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 30000, validateOnly: false })
      const produceId = c.send(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: 'after-create' }] }) }] }] })
      const listId = c.send(ApiKey.ListOffsets, 1, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] })
      const created = decodeResponse(ApiKey.CreateTopics, 1, (await c.nextFrame())!)
      const produced = decodeResponse(ApiKey.Produce, 7, (await c.nextFrame())!)
      const listed = decodeResponse(ApiKey.ListOffsets, 1, (await c.nextFrame())!)
      assert.deepEqual([created.correlationId, produced.correlationId, listed.correlationId], [createId, produceId, listId])
      assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE)
      assert.equal(produced.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE)
      assert.equal(listed.body.topics[0].partitions[0].offset, 1, 'ListOffsets ran after the produce completed')
    } finally {
      c.close()
    }
  })

  it('answers an ApiVersions request above the supported version with UNSUPPORTED_VERSION and keeps the connection', async () => {
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2)
      frame.writeInt32BE(frame.length - 4, 0)
      frame.writeInt16BE(ApiKey.ApiVersions, 4)
      frame.writeInt16BE(99, 6)
      frame.writeInt32BE(77, 8)
      frame.writeInt16BE(-1, 12)
      c.writeRaw(frame)
      const res = decodeResponse(ApiKey.ApiVersions, 0, (await c.nextFrame())!)
      assert.equal(res.correlationId, 77)
      assert.equal(res.body.errorCode, ErrorCode.UNSUPPORTED_VERSION)
      assert.ok(res.body.apiKeys.some((k) => k.apiKey === ApiKey.Produce))
      const ok = await c.request(ApiKey.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' })
      assert.equal(ok.errorCode, ErrorCode.NONE)
      const keys = new Map(ok.apiKeys.map((k) => [k.apiKey, k]))
      assert.ok(keys.has(ApiKey.Fetch) && keys.has(ApiKey.Metadata) && keys.has(ApiKey.CreateTopics))
    } finally {
      c.close()
    }
  })

  for (const [what, bytes] of [
    ['an unknown API key', (() => { const b = Buffer.alloc(14); b.writeInt32BE(10, 0); b.writeInt16BE(999, 4); b.writeInt16BE(0, 6); b.writeInt32BE(1, 8); b.writeInt16BE(-1, 12); return b })()],
    ['a frame over socket.request.max.bytes', (() => { const b = Buffer.alloc(4); b.writeInt32BE(1 << 20, 0); return b })()],
    ['a negative frame size', Buffer.from([0xff, 0xff, 0xff, 0x00])],
    ['a truncated Metadata body', (() => { const b = Buffer.alloc(16); b.writeInt32BE(12, 0); b.writeInt16BE(3, 4); b.writeInt16BE(1, 6); b.writeInt32BE(1, 8); b.writeInt16BE(-1, 12); b.writeInt16BE(5, 14); return b })()],
  ] as const) {
    it(`closes only the connection that sent ${what}`, async () => {
      const bad = await WireClient.connect(tc.bootstrapServers[0])
      const good = await WireClient.connect(tc.bootstrapServers[0])
      try {
        bad.writeRaw(bytes)
        assert.equal(await bad.waitClosed(), true)
        const res = await good.request(ApiKey.Metadata, 1, { topics: [], allowAutoTopicCreation: false })
        assert.equal(res.brokers.length, 1)
      } finally {
        bad.close()
        good.close()
      }
    })
  }

  it('closes the connection when an acks=0 produce fails, since no response can carry the error', async () => {
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const ok = encodeBatch({ records: [{ value: 'x' }] })
      c.send(ApiKey.Produce, 7, { transactionalId: null, acks: 0, timeoutMs: 1000, topicData: [{ name: uniqueName('no-such-topic'), partitionData: [{ index: 0, records: ok }] }] })
      assert.equal(await c.waitClosed(), true)
    } finally {
      c.close()
    }
  })

  it('survives a client that vanishes mid-request', async () => {
    const c = await WireClient.connect(tc.bootstrapServers[0])
    const b = Buffer.alloc(10)
    b.writeInt32BE(100, 0)
    c.writeRaw(b)
    c.close()
    const other = await WireClient.connect(tc.bootstrapServers[0])
    try {
      const res = await other.request(ApiKey.Metadata, 1, { topics: [], allowAutoTopicCreation: false })
      assert.equal(res.controllerId, 0)
    } finally {
      other.close()
    }
  })
})

describe('core/server graceful stop', () => {
  it('answers the requests it has already read before it disconnects', async () => {
    const tc = await startTestCluster()
    const topic = uniqueName('drain')
    const c = await WireClient.connect(tc.bootstrapServers[0])
    try {
      assert.equal(await c.createTopic(topic), ErrorCode.NONE)
      // The fetch goes first: once the 20 produces after it are appended, the broker has surely
      // read it too (frames are read in order), and it is parked in its long poll.
      const fetchId = c.send(ApiKey.Fetch, 4, {
        replicaId: -1, maxWaitMs: 30000, minBytes: 1 << 20, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [], rackId: '',
      })
      const ids = Array.from({ length: 20 }, (_, i) => c.send(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: `v${i}` }] }) }] }] }))
      const log = tc.cluster.state.logs.partition(topic, 0)!
      await waitFor('all produces appended', () => log.highWatermark === 20)
      const started = Date.now()
      await tc.stop()
      assert.ok(Date.now() - started < 5000, 'the parked fetch was woken by the stop, not left to its 30 s wait')
      const got: number[] = []
      for (let i = 0; i <= ids.length; i++) {
        const frame = await c.nextFrame()
        if (frame === undefined) break
        got.push(frame.readInt32BE(0))
      }
      assert.deepEqual(got, [fetchId, ...ids], 'every response, in order, before the connection closed')
    } finally {
      c.close()
    }
  })
})
