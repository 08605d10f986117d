// The dispatcher's table: API key → handler. Every handler takes the decoded request body and
// the RequestContext and resolves with the response body (undefined only for acks=0 Produce).
// ApiVersions advertises exactly the keys in this table.
import { ApiKey } from '../../protocol/api-keys'
import type { RequestContext } from '../request-context'
import { handleAlterConfigs } from './alter-configs'
import { handleApiVersions } from './api-versions'
import { handleCreateAcls } from './create-acls'
import { handleCreatePartitions } from './create-partitions'
import { handleCreateTopics } from './create-topics'
import { handleDeleteAcls } from './delete-acls'
import { handleDeleteRecords } from './delete-records'
import { handleDeleteTopics } from './delete-topics'
import { handleDescribeAcls } from './describe-acls'
import { handleDescribeConfigs } from './describe-configs'
import { handleFetch } from './fetch'
import { handleIncrementalAlterConfigs } from './incremental-alter-configs'
import { handleInitProducerId } from './init-producer-id'
import { handleListOffsets } from './list-offsets'
import { handleMetadata } from './metadata'
import { handleProduce } from './produce'
import { handleSaslAuthenticate } from './sasl-authenticate'
import { handleAlterUserScramCredentials } from './alter-user-scram-credentials'
import { handleDescribeUserScramCredentials } from './describe-user-scram-credentials'
import { handleSaslHandshake } from './sasl-handshake'
// Group handlers (owner: group): add one import line per handler here.
import { handleDeleteGroups } from './delete-groups'
import { handleDescribeGroups } from './describe-groups'
import { handleFindCoordinator } from './find-coordinator'
import { handleHeartbeat } from './heartbeat'
import { handleJoinGroup } from './join-group'
import { handleLeaveGroup } from './leave-group'
import { handleListGroups } from './list-groups'
import { handleOffsetCommit } from './offset-commit'
import { handleOffsetDelete } from './offset-delete'
import { handleOffsetFetch } from './offset-fetch'
import { handleSyncGroup } from './sync-group'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (req: any, ctx: RequestContext) => Promise<unknown>

export const HANDLERS: Map<number, Handler> = new Map<number, Handler>([
  [ApiKey.Produce, handleProduce],
  [ApiKey.Fetch, handleFetch],
  [ApiKey.ListOffsets, handleListOffsets],
  [ApiKey.Metadata, handleMetadata],
  [ApiKey.ApiVersions, (req, ctx): Promise<unknown> => handleApiVersions(req, ctx, new Set(HANDLERS.keys()))],
  [ApiKey.CreateTopics, handleCreateTopics],
  [ApiKey.DeleteTopics, handleDeleteTopics],
  [ApiKey.DeleteRecords, handleDeleteRecords],
  [ApiKey.InitProducerId, handleInitProducerId],
  [ApiKey.DescribeConfigs, handleDescribeConfigs],
  [ApiKey.AlterConfigs, handleAlterConfigs],
  [ApiKey.CreatePartitions, handleCreatePartitions],
  [ApiKey.IncrementalAlterConfigs, handleIncrementalAlterConfigs],
  [ApiKey.DescribeAcls, handleDescribeAcls],
  [ApiKey.CreateAcls, handleCreateAcls],
  [ApiKey.DeleteAcls, handleDeleteAcls],
  [ApiKey.SaslHandshake, handleSaslHandshake],
  [ApiKey.SaslAuthenticate, handleSaslAuthenticate],
  [ApiKey.DescribeUserScramCredentials, handleDescribeUserScramCredentials],
  [ApiKey.AlterUserScramCredentials, handleAlterUserScramCredentials],
  // Group handlers (owner: group): FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
  // OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete go here,
  [ApiKey.FindCoordinator, handleFindCoordinator],
  [ApiKey.JoinGroup, handleJoinGroup],
  [ApiKey.SyncGroup, handleSyncGroup],
  [ApiKey.Heartbeat, handleHeartbeat],
  [ApiKey.LeaveGroup, handleLeaveGroup],
  [ApiKey.OffsetCommit, handleOffsetCommit],
  [ApiKey.OffsetFetch, handleOffsetFetch],
  [ApiKey.DescribeGroups, handleDescribeGroups],
  [ApiKey.ListGroups, handleListGroups],
  [ApiKey.DeleteGroups, handleDeleteGroups],
  [ApiKey.OffsetDelete, handleOffsetDelete],
])
