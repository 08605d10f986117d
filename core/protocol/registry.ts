// Every API Godwit serves, keyed by ApiKey. ApiVersions answers are generated from this table,
// so what we advertise is exactly what the codecs can decode.
import { ApiDefinition } from './api-definition'
import { ApiKey } from './api-keys'
import { Produce } from './messages/produce'
import { Fetch } from './messages/fetch'
import { ListOffsets } from './messages/list-offsets'
import { Metadata } from './messages/metadata'
import { OffsetCommit } from './messages/offset-commit'
import { OffsetFetch } from './messages/offset-fetch'
import { FindCoordinator } from './messages/find-coordinator'
import { JoinGroup } from './messages/join-group'
import { Heartbeat } from './messages/heartbeat'
import { LeaveGroup } from './messages/leave-group'
import { SyncGroup } from './messages/sync-group'
import { DescribeGroups } from './messages/describe-groups'
import { ListGroups } from './messages/list-groups'
import { ApiVersions } from './messages/api-versions'
import { CreateTopics } from './messages/create-topics'
import { DeleteTopics } from './messages/delete-topics'
import { DeleteRecords } from './messages/delete-records'
import { InitProducerId } from './messages/init-producer-id'
import { DescribeConfigs } from './messages/describe-configs'
import { AlterConfigs } from './messages/alter-configs'
import { CreatePartitions } from './messages/create-partitions'
import { DeleteGroups } from './messages/delete-groups'
import { IncrementalAlterConfigs } from './messages/incremental-alter-configs'
import { OffsetDelete } from './messages/offset-delete'
import { DescribeAcls } from './messages/describe-acls'
import { CreateAcls } from './messages/create-acls'
import { DeleteAcls } from './messages/delete-acls'
import { SaslHandshake } from './messages/sasl-handshake'
import { SaslAuthenticate } from './messages/sasl-authenticate'
import { DescribeUserScramCredentials } from './messages/describe-user-scram-credentials'
import { AlterUserScramCredentials } from './messages/alter-user-scram-credentials'

const APIS = {
  [ApiKey.Produce]: Produce,
  [ApiKey.Fetch]: Fetch,
  [ApiKey.ListOffsets]: ListOffsets,
  [ApiKey.Metadata]: Metadata,
  [ApiKey.OffsetCommit]: OffsetCommit,
  [ApiKey.OffsetFetch]: OffsetFetch,
  [ApiKey.FindCoordinator]: FindCoordinator,
  [ApiKey.JoinGroup]: JoinGroup,
  [ApiKey.Heartbeat]: Heartbeat,
  [ApiKey.LeaveGroup]: LeaveGroup,
  [ApiKey.SyncGroup]: SyncGroup,
  [ApiKey.DescribeGroups]: DescribeGroups,
  [ApiKey.ListGroups]: ListGroups,
  [ApiKey.ApiVersions]: ApiVersions,
  [ApiKey.CreateTopics]: CreateTopics,
  [ApiKey.DeleteTopics]: DeleteTopics,
  [ApiKey.DeleteRecords]: DeleteRecords,
  [ApiKey.InitProducerId]: InitProducerId,
  [ApiKey.DescribeConfigs]: DescribeConfigs,
  [ApiKey.AlterConfigs]: AlterConfigs,
  [ApiKey.CreatePartitions]: CreatePartitions,
  [ApiKey.DeleteGroups]: DeleteGroups,
  [ApiKey.IncrementalAlterConfigs]: IncrementalAlterConfigs,
  [ApiKey.OffsetDelete]: OffsetDelete,
  [ApiKey.DescribeAcls]: DescribeAcls,
  [ApiKey.CreateAcls]: CreateAcls,
  [ApiKey.DeleteAcls]: DeleteAcls,
  [ApiKey.SaslHandshake]: SaslHandshake,
  [ApiKey.SaslAuthenticate]: SaslAuthenticate,
  [ApiKey.DescribeUserScramCredentials]: DescribeUserScramCredentials,
  [ApiKey.AlterUserScramCredentials]: AlterUserScramCredentials,
} as const

type ApiTable = typeof APIS

/** The TS request type of an API: RequestOf<ApiKey.Produce> is ProduceRequest. */
export type RequestOf<K extends ApiKey> = ApiTable[K] extends ApiDefinition<infer Q, unknown> ? Q : never
/** The TS response type of an API: ResponseOf<ApiKey.Fetch> is FetchResponse. */
export type ResponseOf<K extends ApiKey> = ApiTable[K] extends ApiDefinition<unknown, infer R> ? R : never

/** All API definitions, in api-key order. */
export const API_DEFINITIONS: readonly ApiDefinition<unknown, unknown>[] = Object.freeze(
  (Object.values(APIS) as ApiDefinition<unknown, unknown>[]).sort((a, b) => a.apiKey - b.apiKey),
)

const byKey = new Map<number, ApiDefinition<unknown, unknown>>(API_DEFINITIONS.map((a) => [a.apiKey, a]))

export function getApi<K extends ApiKey>(apiKey: K): ApiDefinition<RequestOf<K>, ResponseOf<K>>
export function getApi(apiKey: number): ApiDefinition<unknown, unknown> | undefined
export function getApi(apiKey: number): ApiDefinition<unknown, unknown> | undefined {
  return byKey.get(apiKey)
}

/** The version ranges we advertise, straight from the definitions (ApiVersions' api_keys). */
export function supportedApiVersions(): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return API_DEFINITIONS.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion }))
}
