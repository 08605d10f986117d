// What a handler knows about the request it serves besides the body.
import type { ClusterState } from './cluster-state'
import type { Logger } from '../../config'
import type { LogManager } from '../log'
// Until core/group exports its GroupCoordinator the slot is typed loosely.
type GroupCoordinator = any // eslint-disable-line @typescript-eslint/no-explicit-any

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
}
