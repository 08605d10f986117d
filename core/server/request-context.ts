// What a handler knows about the request it serves besides the body.
import type { ClusterState } from './cluster-state'
import type { Logger } from '../../config'
import type { LogManager } from '../log/log-manager'
import type { GroupCoordinator } from '../group'

export type Cluster = ClusterState<LogManager, GroupCoordinator>

export interface RequestContext {
  apiVersion: number
  correlationId: number
  clientId: string | null
  /** Remote address of the connection. */
  clientHost: string
  /** The authenticated principal, Kafka's form User:<name>; User:ANONYMOUS without authentication. */
  principal: string
  /** The logical broker the request was sent to. */
  nodeId: number
  cluster: Cluster
  log: Logger
}
