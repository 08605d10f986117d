// Produce timeoutMs: with acks=-1 the broker waits at most timeoutMs for the append to become
// durable, then answers REQUEST_TIMED_OUT for that partition (as Kafka does when the ISR does not
// catch up in time); the append itself carries on and its records still land in the log.
import assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { encodeBatch } from '../../../core/protocol/records/record-codec'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { fetchBatches } from './read-back'
import { useWireCluster } from './wire-client'

/**
 * Big enough that validating, writing and fsyncing it takes several event-loop turns and far more
 * than 1 ms on any machine, so a 1 ms deadline always passes first.
 */
const BIG = 24 << 20

describe('core/server Produce timeoutMs', () => {
  const w = useWireCluster()

  const createTopic = async (): Promise<string> => {
    const name = uniqueName('produce-timeout')
    assert.equal(await w.c.createTopic(name, 1, { 'max.message.bytes': String(BIG * 2) }), ErrorCode.NONE)
    return name
  }
  const produce = async (topic: string, acks: number, timeoutMs: number, records: Buffer) =>
    (await w.c.request(ApiKey.Produce, 7, { transactionalId: null, acks, timeoutMs, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] })).responses[0].partitionResponses[0]

  it('acks=-1 answers REQUEST_TIMED_OUT when the durable append outlasts timeoutMs; the records are still appended', async () => {
    const topic = await createTopic()
    const p = await produce(topic, -1, 1, encodeBatch({ records: [{ key: 'k', value: Buffer.alloc(BIG, 7) }] }))
    assert.equal(p.errorCode, ErrorCode.REQUEST_TIMED_OUT)
    assert.equal(p.baseOffset, -1)
    const log = w.tc.cluster.state.logs.partition(topic, 0)!
    await waitFor('the timed-out append to complete', () => log.highWatermark === 1)
    const [batch] = await fetchBatches(w.tc.bootstrapServers[0], topic)
    assert.equal(batch.records[0].value!.length, BIG)
    // The connection keeps serving, and a request with room to wait succeeds after it.
    const ok = await produce(topic, -1, 30000, encodeBatch({ records: [{ value: 'small' }] }))
    assert.deepEqual([ok.errorCode, ok.baseOffset], [ErrorCode.NONE, 1])
  })

  it('acks=1 does not wait on timeoutMs (Kafka applies it to acks=-1 only)', async () => {
    const topic = await createTopic()
    const p = await produce(topic, 1, 1, encodeBatch({ records: [{ value: Buffer.alloc(BIG, 8) }] }))
    assert.deepEqual([p.errorCode, p.baseOffset], [ErrorCode.NONE, 0])
  })
})
