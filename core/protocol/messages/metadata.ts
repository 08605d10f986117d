// Metadata (api key 3), versions 1-6, no flexible versions in this range. Wire grammar:
// Metadata Request => [topics] allow_auto_topic_creation(v4+)
//   topics => name
// Metadata Response => throttle_time_ms(v3+) [brokers] cluster_id(v2+) controller_id [topics]
//   brokers => node_id host port rack
//   topics => error_code name is_internal [partitions]
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas](v5+)
import { ApiKey } from '../api-keys'
import { defineApi } from '../api-definition'
import { arrayOf, field, struct } from '../schema'

export interface MetadataRequest {
  topics: { name: string }[] | null
  allowAutoTopicCreation: boolean
}

export interface MetadataResponse {
  throttleTimeMs?: number
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[]
  clusterId?: string | null
  controllerId: number
  topics: {
    errorCode: number
    name: string
    isInternal: boolean
    partitions: {
      errorCode: number
      partitionIndex: number
      leaderId: number
      replicaNodes: number[]
      isrNodes: number[]
      offlineReplicas?: number[]
    }[]
  }[]
}

const request = struct(
  field('topics', arrayOf(struct(
    field('name', 'string'),
  )), { nullable: '1+' }),
  field('allowAutoTopicCreation', 'bool', { v: '4+', default: true }),
)

const response = struct(
  field('throttleTimeMs', 'int32', { v: '3+' }),
  field('brokers', arrayOf(struct(
    field('nodeId', 'int32'),
    field('host', 'string'),
    field('port', 'int32'),
    field('rack', 'string', { nullable: '1+', default: null }),
  ))),
  field('clusterId', 'string', { v: '2+', nullable: '2+', default: null }),
  field('controllerId', 'int32', { default: -1 }),
  field('topics', arrayOf(struct(
    field('errorCode', 'int16'),
    field('name', 'string'),
    field('isInternal', 'bool'),
    field('partitions', arrayOf(struct(
      field('errorCode', 'int16'),
      field('partitionIndex', 'int32'),
      field('leaderId', 'int32'),
      field('replicaNodes', arrayOf('int32')),
      field('isrNodes', arrayOf('int32')),
      field('offlineReplicas', arrayOf('int32'), { v: '5+' }),
    ))),
  ))),
)

export const Metadata = defineApi<MetadataRequest, MetadataResponse>({
  apiKey: ApiKey.Metadata, name: 'Metadata', minVersion: 1, maxVersion: 6, flexibleMinVersion: 9,
  request, response,
})
