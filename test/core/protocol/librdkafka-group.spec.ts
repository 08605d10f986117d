import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { OffsetCommitRequest } from '../../../core/protocol/messages/offset-commit'
import { AnyDecodedRequest, encodeResponse, isRequest } from '../../../core/protocol/request'
import { CodecServer, apiVersions, kcat, metadata, startCodecServer } from './helpers/codec-server'
import { kafkajs } from './helpers/kafkajs-oracle'

// librdkafka's balanced consumer (kcat -G) against a codec-only server playing a one-member group
// coordinator: it exercises FindCoordinator, JoinGroup, SyncGroup, Heartbeat, OffsetFetch,
// ListOffsets, Fetch, OffsetCommit and LeaveGroup at the versions librdkafka picks from our ranges
// (including OffsetCommit v7 and OffsetFetch v5, which kafkajs does not have). librdkafka 2.0.2
// sends: ApiVersions v3, Metadata v4, FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat
// v3, OffsetFetch v5, ListOffsets v2, Fetch v11, OffsetCommit v7, LeaveGroup v1.
describe('core/protocol vs librdkafka consumer group (kcat -G against a codec-only server)', () => {
  let server: CodecServer | undefined
  after(async () => server?.close())

  it('joins, syncs, consumes and commits through our group API codecs', async () => {
    const batch: Buffer = (await kafkajs('recordBatch/v0').RecordBatch({
      records: [0, 1].map((i) => kafkajs('recordBatch/record/v0')({ key: `k${i}`, value: `v${i}`, offsetDelta: i })),
      firstTimestamp: 1700000000000, maxTimestamp: 1700000000000, lastOffsetDelta: 1,
    })).buffer
    const commits: OffsetCommitRequest[] = []
    let assignment = Buffer.alloc(0)

    const answer = (req: AnyDecodedRequest, port: number): Buffer | undefined => {
      if (isRequest(req, ApiKey.FindCoordinator)) {
        assert.deepEqual([req.body.key, req.body.keyType], ['g1', 0])
        return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: '127.0.0.1', port })
      }
      if (isRequest(req, ApiKey.JoinGroup)) {
        assert.equal(req.body.groupId, 'g1')
        assert.equal(req.body.protocolType, 'consumer')
        const protocol = req.body.protocols[0]
        return encodeResponse(req.header, {
          throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: protocol.name, leader: 'm-1', memberId: 'm-1',
          members: [{ memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from(protocol.metadata) }],
        })
      }
      if (isRequest(req, ApiKey.SyncGroup)) {
        assert.deepEqual([req.body.generationId, req.body.memberId], [1, 'm-1'])
        assignment = Buffer.from(req.body.assignments.find((a) => a.memberId === 'm-1')?.assignment ?? assignment)
        return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0, assignment })
      }
      if (isRequest(req, ApiKey.Heartbeat)) return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0 })
      if (isRequest(req, ApiKey.OffsetFetch)) {
        return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0, topics: (req.body.topics ?? []).map((t) => ({
          name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 })),
        })) })
      }
      if (isRequest(req, ApiKey.ListOffsets)) {
        return encodeResponse(req.header, { throttleTimeMs: 0, topics: req.body.topics.map((t) => ({
          name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: 0 })),
        })) })
      }
      if (isRequest(req, ApiKey.Fetch)) {
        return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: req.body.topics.map((t) => ({
          topic: t.topic, partitions: t.partitions.map((p) => {
            const data = p.partition === 0 && p.fetchOffset === 0
            return {
              partitionIndex: p.partition, errorCode: 0, highWatermark: p.partition === 0 ? 2 : 0, lastStableOffset: p.partition === 0 ? 2 : 0,
              logStartOffset: 0, abortedTransactions: null, preferredReadReplica: -1, records: data ? batch : Buffer.alloc(0),
            }
          }),
        })) })
      }
      if (isRequest(req, ApiKey.OffsetCommit)) {
        commits.push(req.body)
        return encodeResponse(req.header, { throttleTimeMs: 0, topics: req.body.topics.map((t) => ({
          name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0 })),
        })) })
      }
      if (isRequest(req, ApiKey.LeaveGroup)) return encodeResponse(req.header, { throttleTimeMs: 0, errorCode: 0, members: [] })
      return apiVersions(req) ?? metadata(req, port)
    }
    server = await startCodecServer(answer)

    const out = await kcat(['-G', 'g1', '-b', `127.0.0.1:${server.port}`, '-c', '2', '-f', '%p:%o %k=%s\\n',
      '-X', 'auto.offset.reset=earliest', '-X', 'enable.auto.commit=true', 'orders'])
    assert.equal(out, '0:0 k0=v0\n0:1 k1=v1\n')
    const seen = new Set(server.seen.map((s) => s.replace(/ v\d+$/, '')))
    for (const api of ['FindCoordinator', 'JoinGroup', 'SyncGroup', 'OffsetFetch', 'Fetch', 'OffsetCommit', 'LeaveGroup']) {
      assert.ok(seen.has(api), `${api} not seen in ${server.seen.join(', ')}`)
    }
    const last = commits[commits.length - 1]
    assert.equal(last.groupId, 'g1')
    assert.equal(last.memberId, 'm-1')
    assert.equal(last.generationIdOrMemberEpoch, 1)
    const p0 = last.topics.find((t) => t.name === 'orders')?.partitions.find((p) => p.partitionIndex === 0)
    assert.equal(p0?.committedOffset, 2, JSON.stringify(last))
  })
})
