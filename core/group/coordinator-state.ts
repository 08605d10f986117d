// What the coordinator's operation files share: the groups, the clock, the settings, the store
// and the rebalancer. One object, so each operation file stays a set of plain functions.
import type { Logger } from '../../config/logger'
import type { Clock } from './clock'
import type { GroupCoordinatorConfig } from './config'
import type { Group } from './group'
import type { GroupStore } from './group-store'
import type { Rebalancer } from './rebalancer'

export interface CoordinatorState {
  readonly clock: Clock
  readonly config: GroupCoordinatorConfig
  readonly groups: Map<string, Group>
  readonly store: GroupStore
  readonly rebalancer: Rebalancer
  readonly logger: Logger
  /** True until load() has replayed the offsets log; requests then get COORDINATOR_LOAD_IN_PROGRESS. */
  loading: boolean
  closed: boolean
}
