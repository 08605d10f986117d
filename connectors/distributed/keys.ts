// Every Redis key of one worker group, in one place: godwit:<group.id>:<what>. Keeping them here
// makes the layout reviewable and lets tests inspect Redis directly.

export interface GroupKeys {
  /** The namespace itself, `godwit:<group>`; BullMQ queues live under `<ns>:bull`. */
  ns: string
  /** ZSET member id → session expiry (Redis server time, ms). */
  members: string
  /** HASH member id → JSON metadata (url, started). */
  memberInfo: string
  /** STRING "<member>|<epoch>" with PX expiry: the leader lease. */
  leader: string
  /** HASH { epoch, holder }: leader epoch counter, never expires. */
  leaderEpoch: string
  /** STRING JSON { generation, leaderEpoch, leader, assignments: { member: item[] } }. */
  assignment: string
  /** HASH connector name → JSON { config, targetState }. */
  connectors: string
  /** HASH connector name → JSON array of task configs. */
  taskConfigs: string
  /** HASH item id → JSON status. */
  status: string
  /** HASH item id → restart counter (bumped by a restart command). */
  restarts: string
  /** HASH { <lease fields> }: a work item's lease (owner, gen) with PX expiry. */
  lease(item: string): string
  /** STRING counter: the item's lease generation (fencing token), never expires. */
  leaseGen(item: string): string
  /** HASH JSON(partition) → JSON(offset): a source connector's committed offsets. */
  offsets(connector: string): string
  /** STRING set NX by whoever enqueues a periodic job's run for one interval slot. */
  periodicSlot(job: string, slot: number): string
  /** PUB/SUB channel: "something changed, reconcile now". */
  wakeChannel: string
  /** STRING marker written once; its absence after a restart means Redis lost its data. */
  marker: string
}

export function groupKeys(prefix: string, groupId: string): GroupKeys {
  const ns = `${prefix}:${groupId}`
  return {
    ns,
    members: `${ns}:members`,
    memberInfo: `${ns}:member-info`,
    leader: `${ns}:leader`,
    leaderEpoch: `${ns}:leader-epoch`,
    assignment: `${ns}:assignment`,
    connectors: `${ns}:connectors`,
    taskConfigs: `${ns}:task-configs`,
    status: `${ns}:status`,
    restarts: `${ns}:restarts`,
    lease: (item) => `${ns}:lease:${item}`,
    leaseGen: (item) => `${ns}:lease-gen:${item}`,
    offsets: (connector) => `${ns}:offsets:${connector}`,
    periodicSlot: (job, slot) => `${ns}:periodic:${job}:${slot}`,
    wakeChannel: `${ns}:wake`,
    marker: `${ns}:marker`,
  }
}

/** BullMQ queue names may not contain ':'; the group goes into the prefix instead. */
export function bullPrefix(keys: GroupKeys): string {
  return `${keys.ns}:bull`
}
