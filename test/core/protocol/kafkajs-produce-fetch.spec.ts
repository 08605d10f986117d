import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { FetchRequest } from '../../../core/protocol/messages/fetch'
import { ProduceRequest } from '../../../core/protocol/messages/produce'
import { kafkajs, kafkajsRequestToOurs, ourResponseToKafkajs, range, throttle } from './helpers/kafkajs-oracle'

const Decoder = kafkajs('decoder')
const decodeBatch = kafkajs('recordBatch/v0/decoder')
const RecordBatch = kafkajs('recordBatch/v0').RecordBatch
const Record = kafkajs('recordBatch/record/v0')
const Long = require('kafkajs/src/utils/long')

const TS = 1700000000000

async function kafkajsBatch(baseOffset: number): Promise<Buffer> {
  const records = [Record({ key: 'k0', value: 'v0', offsetDelta: 0 }), Record({ key: 'k1', value: 'v1', offsetDelta: 1 })]
  const enc = await RecordBatch({ records, firstOffset: Long.fromNumber(baseOffset), firstTimestamp: TS, maxTimestamp: TS, lastOffsetDelta: 1 })
  return enc.buffer
}

describe('core/protocol vs kafkajs: Produce, Fetch, ListOffsets, Metadata, ApiVersions', () => {
  for (const v of range(3, 7)) {
    it(`Produce v${v}`, async () => {
      const body = (await kafkajsRequestToOurs('produce', v, ApiKey.Produce, {
        acks: -1, timeout: 30000, transactionalId: 'tx-1', producerId: Long.fromNumber(4000), producerEpoch: 3,
        topicData: [{ topic: 'orders', partitions: [{ partition: 2, firstSequence: 5, messages: [{ key: 'a', value: 'x', timestamp: TS }, { key: 'b', value: 'y', timestamp: TS + 1 }] }] }],
      })) as ProduceRequest
      assert.equal(body.transactionalId, 'tx-1')
      assert.equal(body.acks, -1)
      assert.equal(body.timeoutMs, 30000)
      assert.equal(body.topicData.length, 1)
      assert.equal(body.topicData[0].name, 'orders')
      const p = body.topicData[0].partitionData[0]
      assert.equal(p.index, 2)
      const batch = await decodeBatch(new Decoder(p.records))
      assert.deepEqual(batch.records.map((r: { key: Buffer; value: Buffer }) => `${r.key}=${r.value}`), ['a=x', 'b=y'])
      assert.equal(batch.producerId, '4000')
      assert.equal(batch.firstSequence, 5)

      const decoded = await ourResponseToKafkajs('produce', v, ApiKey.Produce, {
        responses: [{ name: 'orders', partitionResponses: [{ index: 2, errorCode: 0, baseOffset: 2 ** 40, logAppendTimeMs: -1, logStartOffset: 17 }] }],
        throttleTimeMs: 9,
      })
      const partition: Record<string, unknown> = { partition: 2, errorCode: 0, baseOffset: String(2 ** 40), logAppendTime: '-1' }
      if (v >= 5) partition.logStartOffset = '17'
      assert.deepEqual(decoded, { topics: [{ topicName: 'orders', partitions: [partition] }], ...throttle(v, 6, 9) })
    })
  }

  for (const v of range(0, 2)) {
    it(`Produce v${v} (message sets of magic ${v < 2 ? 0 : 1}, passed through untouched)`, async () => {
      const body = (await kafkajsRequestToOurs('produce', v, ApiKey.Produce, {
        acks: 1, timeout: 3000,
        topicData: [{ topic: 'orders', partitions: [{ partition: 2, messages: [{ key: 'a', value: 'x', timestamp: TS }] }] }],
      })) as ProduceRequest
      assert.equal(body.transactionalId, null, 'no transactional id before v3')
      assert.deepEqual([body.acks, body.timeoutMs, body.topicData[0].name, body.topicData[0].partitionData[0].index], [1, 3000, 'orders', 2])
      const records = body.topicData[0].partitionData[0].records!
      assert.equal(records.readInt8(16), v < 2 ? 0 : 1, 'magic byte of the message set')
      assert.ok(records.includes(Buffer.from('x')))

      const decoded = await ourResponseToKafkajs('produce', v, ApiKey.Produce, {
        responses: [{ name: 'orders', partitionResponses: [{ index: 2, errorCode: 43, baseOffset: -1, logAppendTimeMs: 5, logStartOffset: 17 }] }],
        throttleTimeMs: 9,
      })
      const partition: Record<string, unknown> = { partition: 2, errorCode: 43, offset: '-1' }
      if (v >= 2) partition.timestamp = '5'
      assert.deepEqual(decoded, { topics: [{ topicName: 'orders', partitions: [partition] }], ...(v >= 1 ? { throttleTime: 9 } : {}) })
    })
  }

  for (const v of range(4, 11)) {
    it(`Fetch v${v}`, async () => {
      const body = (await kafkajsRequestToOurs('fetch', v, ApiKey.Fetch, {
        replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 52428800, isolationLevel: 0, sessionId: 12, sessionEpoch: 3, rackId: 'rack-a',
        topics: [{ topic: 'orders', partitions: [{ partition: 1, currentLeaderEpoch: 4, fetchOffset: '1099511627776', logStartOffset: 7, maxBytes: 1048576 }] }],
        forgottenTopics: [{ topic: 'old', partitions: [0, 3] }],
      })) as FetchRequest
      const partition = {
        partition: 1, fetchOffset: 2 ** 40, partitionMaxBytes: 1048576,
        currentLeaderEpoch: v >= 9 ? 4 : -1, logStartOffset: v >= 5 ? 7 : -1,
      }
      assert.deepEqual(body, {
        replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 52428800, isolationLevel: 0,
        sessionId: v >= 7 ? 12 : 0, sessionEpoch: v >= 7 ? 3 : -1,
        topics: [{ topic: 'orders', partitions: [partition] }],
        forgottenTopicsData: v >= 7 ? [{ topic: 'old', partitions: [0, 3] }] : [],
        rackId: v >= 11 ? 'rack-a' : '',
      })

      const records = Buffer.concat([await kafkajsBatch(40), await kafkajsBatch(42)])
      const decoded = await ourResponseToKafkajs('fetch', v, ApiKey.Fetch, {
        throttleTimeMs: 0, errorCode: 0, sessionId: 12,
        responses: [{ topic: 'orders', partitions: [
          { partitionIndex: 1, errorCode: 0, highWatermark: 44, lastStableOffset: 44, logStartOffset: 3, abortedTransactions: [{ producerId: 9, firstOffset: 40 }], preferredReadReplica: -1, records },
          { partitionIndex: 2, errorCode: 1, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: null },
        ] }],
      })
      assert.equal(decoded.responses.length, 1)
      assert.equal(decoded.responses[0].topicName, 'orders')
      const [p1, p2] = decoded.responses[0].partitions
      assert.deepEqual([p1.partition, p1.errorCode, p1.highWatermark, p1.lastStableOffset], [1, 0, '44', '44'])
      assert.deepEqual(p1.abortedTransactions, [{ producerId: '9', firstOffset: '40' }])
      assert.deepEqual(p1.messages.map((m: { offset: string; key: Buffer; value: Buffer }) => `${m.offset}:${m.key}=${m.value}`), ['40:k0=v0', '41:k1=v1', '42:k0=v0', '43:k1=v1'])
      assert.deepEqual([p2.partition, p2.errorCode, p2.messages, p2.abortedTransactions], [2, 1, [], []])
      if (v >= 5) assert.equal(p1.lastStartOffset, '3')
      if (v >= 7) assert.deepEqual([decoded.errorCode, decoded.sessionId], [0, 12])
      if (v >= 11) assert.equal(p1.preferredReadReplica, -1)
    })
  }

  for (const v of range(1, 3)) {
    it(`ListOffsets v${v}`, async () => {
      const body = await kafkajsRequestToOurs('listOffsets', v, ApiKey.ListOffsets, {
        replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 0, timestamp: -2 }, { partition: 1, timestamp: TS }] }],
      })
      assert.deepEqual(body, {
        replicaId: -1, isolationLevel: v >= 2 ? 1 : 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -2 }, { partitionIndex: 1, timestamp: TS }] }],
      })
      const decoded = await ourResponseToKafkajs('listOffsets', v, ApiKey.ListOffsets, {
        throttleTimeMs: 4, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 123, oldStyleOffsets: [] }] }],
      })
      const responses = [{ topic: 't', partitions: [{ partition: 0, errorCode: 0, timestamp: '-1', offset: '123' }] }]
      assert.deepEqual(decoded, v >= 2 ? { ...throttle(v, 3, 4), responses } : { responses })
    })
  }

  for (const v of range(1, 6)) {
    it(`Metadata v${v}`, async () => {
      const body = await kafkajsRequestToOurs('metadata', v, ApiKey.Metadata, { topics: ['a', 'b'], allowAutoTopicCreation: false })
      assert.deepEqual(body, { topics: [{ name: 'a' }, { name: 'b' }], allowAutoTopicCreation: v >= 4 ? false : true })

      const decoded = await ourResponseToKafkajs('metadata', v, ApiKey.Metadata, {
        throttleTimeMs: 2, clusterId: 'godwit-1', controllerId: 1,
        brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }, { nodeId: 2, host: 'h2', port: 9093, rack: 'r2' }],
        topics: [{ errorCode: 0, name: 'a', isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1, 2], isrNodes: [1], offlineReplicas: [2] }] }],
      })
      const partition: Record<string, unknown> = { partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2], isr: [1] }
      if (v >= 5) partition.offlineReplicas = [2]
      const expected: Record<string, unknown> = {
        brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }, { nodeId: 2, host: 'h2', port: 9093, rack: 'r2' }],
        controllerId: 1,
        topicMetadata: [{ topicErrorCode: 0, topic: 'a', isInternal: false, partitionMetadata: [partition] }],
      }
      if (v >= 2) expected.clusterId = 'godwit-1'
      if (v >= 3) Object.assign(expected, throttle(v, 6, 2))
      assert.deepEqual(decoded, expected)
    })
  }

  for (const v of range(0, 2)) {
    it(`ApiVersions v${v}`, async () => {
      assert.deepEqual(await kafkajsRequestToOurs('apiVersions', v, ApiKey.ApiVersions, {}), { clientSoftwareName: '', clientSoftwareVersion: '' })
      const apiKeys = [{ apiKey: 0, minVersion: 3, maxVersion: 7 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }]
      const decoded = await ourResponseToKafkajs('apiVersions', v, ApiKey.ApiVersions, { errorCode: 0, apiKeys, throttleTimeMs: 5 })
      const expected: Record<string, unknown> = { errorCode: 0, apiVersions: apiKeys }
      if (v >= 1) Object.assign(expected, throttle(v, 2, 5))
      assert.deepEqual(decoded, expected)
    })
  }
})
