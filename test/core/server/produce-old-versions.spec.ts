// Produce v0-v2: ApiVersions advertises Produce from v0 (librdkafka needs that floor), so a client
// that really sends v0-v2 gets answers in that version's layout instead of a dropped connection.
// Old message sets (magic 0/1, what kafkajs's v0-v2 encoders write) cannot be stored by a log of
// RecordBatch v2 and are refused per partition; v2 batches sent over v0-v2 are stored as usual.
// Then Kafka's own per-partition checks for v3+: RecordBatch v2 only, zstd only from v7.
import assert from 'node:assert/strict'
import * as path from 'node:path'
import { ApiKey } from '../../../core/protocol/api-keys'
import { decodeResponse } from '../../../core/protocol/client-codec'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { encodeBatch } from '../../../core/protocol/records/record-codec'
import { uniqueName } from '../../helpers/unique'
import { fetchBatches } from './read-back'
import { useWireCluster } from './wire-client'

const KAFKAJS_PROTOCOL = path.join(path.dirname(require.resolve('kafkajs/package.json')), 'src', 'protocol')
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const kafkajs = (p: string): any => require(path.join(KAFKAJS_PROTOCOL, p))

/** A whole Produce frame as kafkajs writes it at version v (its v0-v2 encoders write message sets). */
async function kafkajsProduceFrame(v: number, correlationId: number, topic: string, partitions: number[]): Promise<Buffer> {
  const request = kafkajs(`requests/produce/v${v}/request`)({
    acks: -1, timeout: 30000,
    topicData: [{ topic, partitions: partitions.map((partition) => ({ partition, messages: [{ key: 'k', value: `old-${v}` }] })) }],
  })
  const encoder = await kafkajs('request')({ correlationId, clientId: 'old-client', request })
  return encoder.buffer
}

describe('core/server Produce v0-v2', () => {
  const w = useWireCluster()

  const createTopic = async (partitions: number): Promise<string> => {
    const name = uniqueName('produce-old')
    assert.equal(await w.c.createTopic(name, partitions), ErrorCode.NONE)
    return name
  }

  for (const v of [0, 1, 2]) {
    it(`v${v}: refuses old message sets per partition with UNSUPPORTED_FOR_MESSAGE_FORMAT and keeps the connection`, async () => {
      const topic = await createTopic(2)
      w.c.writeRaw(await kafkajsProduceFrame(v, 900 + v, topic, [0, 1]))
      const frame = await w.c.nextFrame()
      assert.ok(frame !== undefined, 'answered, not disconnected')
      const res = decodeResponse(ApiKey.Produce, v, frame)
      assert.equal(res.correlationId, 900 + v)
      assert.equal(res.body.responses[0].name, topic)
      assert.deepEqual(res.body.responses[0].partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset]),
        [[0, ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, -1], [1, ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, -1]])
      assert.equal(w.tc.cluster.state.logs.partition(topic, 0)!.logEndOffset, 0, 'nothing stored')
      const ok = await w.c.request(ApiKey.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' })
      assert.equal(ok.errorCode, ErrorCode.NONE, 'the connection still serves')
    })

    it(`v${v}: stores RecordBatch v2 data and answers in the v${v} layout`, async () => {
      const topic = await createTopic(1)
      const res = await w.c.request(ApiKey.Produce, v, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ key: 'k', value: `new-${v}` }] }) }] }] })
      assert.deepEqual(res.responses[0].partitionResponses.map((p) => [p.errorCode, p.baseOffset]), [[ErrorCode.NONE, 0]])
      const [b] = await fetchBatches(w.tc.bootstrapServers[0], topic)
      assert.equal(b.records[0].value!.toString(), `new-${v}`)
    })
  }
})

describe("core/server Produce v3-v7 record checks (Kafka's per-partition validateRecords)", () => {
  const w = useWireCluster()
  const produce = async (v: number, topic: string, records: Buffer): Promise<number> =>
    (await w.c.request(ApiKey.Produce, v, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] })).responses[0].partitionResponses[0].errorCode

  it('v3+ refuses an old message set (magic 1) with INVALID_RECORD', async () => {
    const topic = uniqueName('produce-magic')
    assert.equal(await w.c.createTopic(topic), ErrorCode.NONE)
    const messageSet: Buffer = kafkajs('messageSet')({ messageVersion: 1, entries: [{ key: 'k', value: 'v', timestamp: Date.now() }] }).buffer
    assert.equal(messageSet.readInt8(16), 1)
    for (const v of [3, 7]) assert.equal(await produce(v, topic, messageSet), ErrorCode.INVALID_RECORD, `v${v}`)
    assert.equal(w.tc.cluster.state.logs.partition(topic, 0)!.logEndOffset, 0)
  })

  it('zstd batches need Produce v7: older versions get UNSUPPORTED_COMPRESSION_TYPE', async () => {
    const topic = uniqueName('produce-zstd')
    assert.equal(await w.c.createTopic(topic), ErrorCode.NONE)
    const zstd = encodeBatch({ records: [{ value: 'z'.repeat(100) }], compression: 4 })
    for (const v of [3, 6]) assert.equal(await produce(v, topic, zstd), ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `v${v}`)
    assert.equal(await produce(7, topic, zstd), ErrorCode.NONE)
    const [b] = await fetchBatches(w.tc.bootstrapServers[0], topic)
    assert.equal(b.records[0].value!.toString(), 'z'.repeat(100))
  })
})
