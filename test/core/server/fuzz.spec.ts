// Random and mutated frames thrown at a live broker while a kafkajs client keeps producing and
// reading: bad connections are closed, the broker and the good client carry on untouched.
import assert from 'node:assert/strict'
import * as net from 'node:net'
import { ApiKey } from '../../../core/protocol/api-keys'
import { encodeRequest } from '../../../core/protocol/client-codec'
import { encodeBatch } from '../../../core/protocol/records/record-codec'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { seededRng } from '../protocol/helpers/random-message'
import { fetchRecords } from './read-back'

function validFrames(topic: string): Buffer[] {
  const h = (apiKey: ApiKey, apiVersion: number) => ({ apiKey, apiVersion, correlationId: 9, clientId: 'fuzz' })
  return [
    encodeRequest(h(ApiKey.Metadata, 5), { topics: [{ name: topic }], allowAutoTopicCreation: false }),
    encodeRequest(h(ApiKey.ApiVersions, 2), { clientSoftwareName: '', clientSoftwareVersion: '' }),
    encodeRequest(h(ApiKey.Produce, 7), { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ key: 'k', value: 'fuzz' }] }) }] }] }),
    encodeRequest(h(ApiKey.Fetch, 11), { replicaId: -1, maxWaitMs: 10, minBytes: 1, maxBytes: 1 << 16, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 16 }] }], forgottenTopicsData: [], rackId: '' }),
    encodeRequest(h(ApiKey.ListOffsets, 3), { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] }),
  ]
}

function mutate(frame: Buffer, r: () => number): Buffer {
  const out = Buffer.from(frame)
  switch (Math.floor(r() * 4)) {
    case 0: // flip bytes in the body, size prefix intact
      for (let i = 0; i < 1 + r() * 6; i++) out[4 + Math.floor(r() * (out.length - 4))] = Math.floor(r() * 256)
      return out
    case 1: { // truncate the body but keep a consistent size prefix
      const cut = out.subarray(0, 4 + Math.floor(r() * (out.length - 4)))
      cut.writeInt32BE(cut.length - 4, 0)
      return cut
    }
    case 2: { // append garbage, consistent size prefix
      const more = Buffer.concat([out, Buffer.from(Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * 256)))])
      more.writeInt32BE(more.length - 4, 0)
      return more
    }
    default: // pure noise
      return Buffer.from(Array.from({ length: 1 + Math.floor(r() * 200) }, () => Math.floor(r() * 256)))
  }
}

function throwAt(hostPort: string, bytes: Buffer): Promise<void> {
  const i = hostPort.lastIndexOf(':')
  return new Promise((resolve) => {
    const s = net.connect({ host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) }, () => {
      s.write(bytes)
      // Give the broker a moment to answer or close, then hang up ourselves (a vanished client).
      setTimeout(() => s.destroy(), 20)
    })
    s.on('data', () => undefined)
    s.on('error', () => undefined)
    s.on('close', () => resolve())
  })
}

describe('core/server fuzz', () => {
  let tc: TestCluster
  // A mutated header could turn a request into another API; never let that be a deletion.
  before(async () => { tc = await startTestCluster({ config: { 'delete.topic.enable': 'false' } }) })
  after(async () => { await tc.stop() })

  it('survives 600 random and mutated frames while a kafkajs producer keeps working', async () => {
    const topic = uniqueName('fuzz')
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100000)
    const r = seededRng(seed)
    const admin = tc.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic }] })
    const good = uniqueName('fuzz-good')
    await admin.createTopics({ topics: [{ topic: good }] })
    const producer = tc.kafka().producer()
    await producer.connect()
    const frames = validFrames(topic)
    const sent: string[] = []
    for (let round = 0; round < 60; round++) {
      const attacks = Array.from({ length: 10 }, () => throwAt(tc.bootstrapServers[0], mutate(frames[Math.floor(r() * frames.length)], r)))
      const value = `good-${round}`
      await producer.send({ topic: good, acks: -1, messages: [{ value }] })
      sent.push(value)
      await Promise.all(attacks)
    }
    await producer.disconnect()
    const got = (await fetchRecords(tc.bootstrapServers[0], good)).map((x) => x.value!.toString())
    assert.deepEqual(got, sent, `seed ${seed}`)
    assert.ok((await admin.listTopics()).includes(good))
    await admin.disconnect()
  })
})
