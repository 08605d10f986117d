// What a handler knows about the request it serves besides the body.
import type { ClusterState } from './cluster-state'
import type { Logger } from '../../config'
import type { LogManager } from '../log/log-manager'
import type { GroupCoordinator } from '../group'
import type { SaslSession } from './security/sasl-session'

export type Cluster = ClusterState<LogManager, GroupCoordinator>

export interface RequestContext {
  apiVersion: number
  correlationId: number
  clientId: string | null
  /** Remote address of the connection. */
  clientHost: string
  /** The logical broker the request was sent to. */
  nodeId: number
  cluster: Cluster
  log: Logger
  /** Who is asking, in Kafka's form: User:ANONYMOUS, User:<SASL user>, or User:<certificate DN> on SSL with client auth. */
  principal: string
  /** The listener (upper case) the connection came through; Metadata answers with its endpoints. */
  listenerName: string
  /** SASL state of the connection, on SASL_PLAINTEXT / SASL_SSL listeners. */
  sasl?: SaslSession
}
