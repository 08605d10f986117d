// Prometheus gauges of a distributed worker, added to the worker's Connect metrics registry so
// GET /metrics shows coordination beside task metrics. Values are read at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { DistributedWorker } from './distributed-worker'

export function registerDistributedMetrics(registry: Registry, worker: DistributedWorker): void {
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()) } })
  }
  gauge('godwit_distributed_redis_connected', '1 while Redis answers, 0 while it is unreachable (tasks keep running)', () => (worker.status().redis === 'connected' ? 1 : 0))
  gauge('godwit_distributed_is_leader', '1 if this worker leads its group', () => (worker.status().isLeader ? 1 : 0))
  gauge('godwit_distributed_leader_epoch', 'Leader epoch this worker last saw', () => worker.status().leaderEpoch ?? 0)
  gauge('godwit_distributed_assignment_generation', 'Generation of the assignment this worker last read', () => worker.status().generation ?? 0)
  gauge('godwit_distributed_group_members', 'Live members of the group', () => worker.status().members.length)
  gauge('godwit_distributed_assigned_items', 'Connectors and tasks assigned to this worker', () => worker.status().assigned.length)
  gauge('godwit_distributed_running_items', 'Connectors and tasks running on this worker', () => worker.status().running.length)
  const events = new Counter({ name: 'godwit_distributed_events_total', help: 'Coordination events (rebalance, fenced, redis-unreachable, leader, ...)', labelNames: ['kind'], registers: [registry] })
  worker.events.listen((e) => events.inc({ kind: e.kind }))
}
