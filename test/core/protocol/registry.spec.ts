import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { API_DEFINITIONS, getApi, supportedApiVersions } from '../../../core/protocol/registry'

// The ranges Godwit advertises: librdkafka turns features off when minimums are too high.
const EXPECTED: Record<string, [number, number]> = {
  Produce: [0, 7], Fetch: [4, 11], ListOffsets: [1, 3], Metadata: [1, 6], OffsetCommit: [2, 7], OffsetFetch: [1, 5],
  FindCoordinator: [0, 2], JoinGroup: [0, 5], Heartbeat: [0, 3], LeaveGroup: [0, 3], SyncGroup: [0, 3],
  DescribeGroups: [0, 2], ListGroups: [0, 2], ApiVersions: [0, 3], CreateTopics: [0, 4], DeleteTopics: [0, 1],
  CreatePartitions: [0, 1], DeleteRecords: [0, 1], DescribeConfigs: [0, 2], AlterConfigs: [0, 1],
  IncrementalAlterConfigs: [0, 1], DeleteGroups: [0, 1], InitProducerId: [0, 1], OffsetDelete: [0, 0],
  DescribeAcls: [0, 1], CreateAcls: [0, 1], DeleteAcls: [0, 1],
  SaslHandshake: [0, 1], SaslAuthenticate: [0, 2], DescribeUserScramCredentials: [0, 0], AlterUserScramCredentials: [0, 0],
}

describe('core/protocol/registry', () => {
  it('defines exactly the agreed APIs and version ranges', () => {
    const got = Object.fromEntries(API_DEFINITIONS.map((a) => [a.name, [a.minVersion, a.maxVersion]]))
    assert.deepEqual(got, EXPECTED)
    for (const a of API_DEFINITIONS) assert.equal(ApiKey[a.apiKey as ApiKey], a.name, `${a.name} has key ${a.apiKey}`)
  })

  it('generates the ApiVersions content from the definitions', () => {
    const ranges = supportedApiVersions()
    assert.equal(ranges.length, Object.keys(EXPECTED).length)
    for (const r of ranges) {
      const api = getApi(r.apiKey)
      assert.ok(api)
      assert.deepEqual([r.minVersion, r.maxVersion], EXPECTED[api.name])
    }
    assert.deepEqual(ranges.map((r) => r.apiKey), [...ranges.map((r) => r.apiKey)].sort((a, b) => a - b))
  })

  it('knows where flexible versions start', () => {
    assert.equal(getApi(ApiKey.ApiVersions).flexibleMinVersion, 3)
    assert.equal(getApi(ApiKey.IncrementalAlterConfigs).flexibleMinVersion, 1)
    assert.equal(getApi(ApiKey.OffsetDelete).flexibleMinVersion, null)
    assert.equal(getApi(99), undefined)
  })
})
