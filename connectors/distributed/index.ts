// Distributed mode: many workers sharing connectors and tasks, coordinated through Redis.
// Records never pass through Redis; they flow through Kafka (kafkajs).
//
//   membership.ts       heartbeat into a ZSET scored by session expiry (Redis server time)
//   leader-lease.ts     one leader: lease key set only when absent, renewed by compare-and-set, epoch bumps on change
//   assignment.ts       balanced (within 1), sticky, minimal-movement assignment: a pure function
//   task-lease.ts       per-item leases whose generation is the fencing token; fenced HSET in Lua
//   fenced-offset-store.ts  the runtime's OffsetStore on Redis; FencedOffsetStore refuses zombie commits
//   redis-config-store.ts   connector/task configs, target states, restart requests (leader writes fenced)
//   command-queue.ts    BullMQ: connector commands from any worker's REST API, applied by the leader
//   periodic-jobs.ts    BullMQ: named jobs run once per interval across the group, retried with backoff
//   item-supervisor.ts  starts/stops/renews the items assigned to this worker
//   state-restore.ts    reconvergence after Redis lost its data
//   distributed-worker.ts  the loop tying it together; distributed-herder.ts  the REST façade;
//   runtime-runner.ts   runs items through the runtime's Worker; distributed-mode.ts  assembly
//
// Redis keys (all under <redis.key.prefix>:<group.id>:, see keys.ts): members, member-info, leader,
// leader-epoch, assignment, connectors, task-configs, status, restarts, lease:<item>,
// lease-gen:<item>, offsets:<connector>, periodic:<job>:<slot>, marker; BullMQ queues under :bull.
export { startDistributed, splitWorkerProps, type DistributedOptions, type RunningDistributed } from './distributed-mode'
export { DistributedWorker, type DistributedWorkerOptions } from './distributed-worker'
export { DistributedHerder } from './distributed-herder'
export { RuntimeWorkRunner } from './runtime-runner'
export { DistributedCoordinationConfigDef, type DistributedCoordinationConfig } from './config'
export { assign, connectorItem, taskItem, parseItem, type Assignment, type WorkItem } from './assignment'
export { FencedOffsetStore, RedisOffsetStore } from './fenced-offset-store'
export { RedisKeyValueLog, redisConfigStore, redisOffsetStore, redisStatusStore } from './redis-kv-log'
export { PeriodicJobs, type PeriodicHandler, type PeriodicJobContext } from './periodic-jobs'
export type { ConnectorCommand } from './command-queue'
export type { LeasedItem, WorkRunner, StopReason, ItemState } from './work-runner'
export type { WorkerStatus, WorkerEvent } from './worker-status'
export { TaskFencedError, RedisUnavailableError, NotLeaderError, DistributedCommandError } from './errors'
