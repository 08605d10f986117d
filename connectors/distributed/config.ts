// The keys distributed mode adds to a worker's configuration. Connect's names where Connect has
// the concept (group.id, heartbeat.interval.ms, session.timeout.ms); Godwit's own redis.* keys
// for the coordination store. Defaults are chosen so a dead worker's tasks move within 10 s.
import { atLeast, defineConfig, oneOf, type ConfigOf } from '../../config'

export const DistributedCoordinationConfigDef = defineConfig('Distributed worker coordination (Redis)', {
  'group.id': { type: 'string', required: true, importance: 'high',
    doc: 'Identifies the cluster of workers this worker belongs to. Workers with the same group.id share connectors and tasks; all Redis keys are namespaced godwit:<group.id>:.' },
  'redis.url': { type: 'string', default: 'redis://127.0.0.1:6379', importance: 'high',
    doc: 'Redis that coordinates the group: redis://[[user]:password@]host:port[/db], or rediss:// for TLS. Only coordination goes through Redis; records flow through Kafka.' },
  'redis.password': { type: 'password', default: null,
    doc: 'Password for Redis AUTH; overrides a password in redis.url.' },
  'redis.username': { type: 'string', default: null, importance: 'low',
    doc: 'Redis ACL user name; overrides a user in redis.url.' },
  'redis.tls.ca.location': { type: 'string', default: null, importance: 'low',
    doc: 'PEM file of CA certificates to trust for rediss:// (default: the system CAs).' },
  'redis.tls.reject.unauthorized': { type: 'boolean', default: true, importance: 'low',
    doc: 'Verify the Redis server certificate for rediss://. Turn off only for testing.' },
  'redis.startup.timeout.ms': { type: 'int', default: 30000, validate: atLeast(0), importance: 'low',
    doc: 'How long a starting worker waits for Redis to become reachable before it gives up (wrong credentials fail at once).' },
  'redis.key.prefix': { type: 'string', default: 'godwit', importance: 'low',
    doc: 'First segment of every Redis key and BullMQ queue this worker uses.' },
  'worker.id': { type: 'string', default: null,
    doc: 'This worker\'s member id in the group (default: host name, pid and a random suffix). Must be unique in the group.' },
  'heartbeat.interval.ms': { type: 'int', default: 1000, validate: atLeast(10),
    doc: 'How often a worker refreshes its membership and task leases, and reconciles its assignment. Connect default is 3000; Godwit uses 1000 (a heartbeat is one small Lua call).' },
  'session.timeout.ms': { type: 'int', default: 6000, validate: atLeast(30),
    doc: 'A worker that has not heartbeated for this long is considered dead and its work is reassigned. Connect default is 10000; Godwit uses 6000 so lost tasks move within 10 s.' },
  'task.lease.ms': { type: 'int', default: null,
    doc: 'How long a task lease (and the leader lease) lives without renewal (default: session.timeout.ms). A worker frozen longer than this is fenced: its offset and status writes are refused.' },
  'redis.unreachable.policy': { type: 'string', default: 'keep-running', validate: oneOf('keep-running', 'stop-tasks'), importance: 'low',
    doc: 'What running tasks do while Redis is unreachable: keep-running (they only need Kafka; leases are renewed or fenced when Redis returns) or stop-tasks.' },
  'command.timeout.ms': { type: 'int', default: 30000, validate: atLeast(100), importance: 'low',
    doc: 'How long a REST request waits for the leader to execute a queued connector command.' },
  'periodic.job.attempts': { type: 'int', default: 5, validate: atLeast(1), importance: 'low',
    doc: 'Attempts for each run of a periodic cluster job (topic refresh, checkpoint emission, ...); retries back off exponentially.' },
  'periodic.job.backoff.ms': { type: 'int', default: 500, validate: atLeast(1), importance: 'low',
    doc: 'First retry delay of a failed periodic or command job; each further retry doubles it.' },
})

export type DistributedCoordinationConfig = ConfigOf<typeof DistributedCoordinationConfigDef>

/** Resolved timings (task.lease.ms defaults to session.timeout.ms). */
export interface Timings {
  heartbeatMs: number
  sessionMs: number
  leaseMs: number
}

export function timingsOf(cfg: DistributedCoordinationConfig): Timings {
  return {
    heartbeatMs: cfg['heartbeat.interval.ms'],
    sessionMs: cfg['session.timeout.ms'],
    leaseMs: cfg['task.lease.ms'] ?? cfg['session.timeout.ms'],
  }
}
