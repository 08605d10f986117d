// What the distributed worker drives: something that starts and stops connectors and tasks
// (the runtime's Worker through an adapter, or a test plugin). Each started item comes with its
// lease: a fencing token and writers that refuse to write once the lease moved elsewhere.
import type { WorkItem } from './assignment'
import type { FencedOffsetStore } from './fenced-offset-store'
import type { ClusterConfigSnapshot } from './redis-config-store'

export type ItemState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING'

export type StopReason = 'revoked' | 'fenced' | 'restart' | 'deleted' | 'shutdown' | 'redis-unreachable'

export interface LeasedItem {
  id: string
  item: WorkItem
  /** The lease generation: the fencing token every write of this item carries. */
  token: number
  /** Connector config version and restart count this item was started with. */
  revision: string
  /** Source offsets of the item's connector; commits are fenced by this lease. */
  offsets: FencedOffsetStore
  /** Writes this item's status (fenced); false when the lease moved. */
  reportStatus(state: ItemState, trace?: string): Promise<boolean>
  /** For connector items: publish the task configs (fenced); false when the lease moved. */
  writeTaskConfigs(tasks: Array<Record<string, string>>): Promise<boolean>
}

export interface WorkRunner {
  /** Starts an item; throwing marks it FAILED (it stays assigned, as in Connect). */
  start(item: LeasedItem, state: ClusterConfigSnapshot): Promise<void>
  /** Stops an item; must not throw for an item it does not run. */
  stop(id: string, reason: StopReason): Promise<void>
  /** Optional: the connector's target state changed (pause/resume) without a restart. */
  targetStateChanged?(id: string, state: ClusterConfigSnapshot): Promise<void>
}
