// One member of a distributed worker group. A single serial loop (every heartbeat.interval.ms,
// or at once when another worker publishes a change) heartbeats, renews the leases of what runs
// here, takes or renews the leader lease, lets the leader publish the assignment, and reconciles:
// stop what moved away, start what arrived once its lease is won. Items that stay keep running.
// When Redis cannot be reached the loop only records it: tasks keep running on Kafka alone, and
// when Redis returns their leases are renewed (or found taken, and those items stop).
import * as os from 'node:os'
import { randomBytes } from 'node:crypto'
import type Redis from 'ioredis'
import { createLogger, type Logger } from '../../config'
import { CommandQueue, type ConnectorCommand } from './command-queue'
import { timingsOf, type DistributedCoordinationConfig, type Timings } from './config'
import { RedisUnavailableError } from './errors'
import { ItemSupervisor } from './item-supervisor'
import { groupKeys, bullPrefix, type GroupKeys } from './keys'
import { applyCommand, readAssignment, rebalance, type PublishedAssignment } from './leader-duties'
import { LeaderLease } from './leader-lease'
import { Membership } from './membership'
import { PeriodicJobs } from './periodic-jobs'
import { bullConnectionOptions, connectCoordinationRedis, type RedisSettings } from './redis-connection'
import { RedisConfigStore, type ClusterConfigSnapshot } from './redis-config-store'
import { TaskLeases } from './task-lease'
import { newMarker, restoreGroupState } from './state-restore'
import type { WorkRunner } from './work-runner'
import { WorkerEvents, type WorkerStatus } from './worker-status'

export interface DistributedWorkerOptions {
  config: DistributedCoordinationConfig
  runner: WorkRunner
  /** REST URL this worker advertises to the group. */
  restUrl?: string
}

export class DistributedWorker {
  readonly id: string
  readonly keys: GroupKeys
  readonly timings: Timings
  readonly events = new WorkerEvents()
  readonly commands: CommandQueue
  readonly periodic: PeriodicJobs
  readonly store: RedisConfigStore
  private readonly redis: Redis
  private readonly sub: Redis
  private readonly membership: Membership
  private readonly leaderLease: LeaderLease
  readonly leases: TaskLeases
  private readonly items: ItemSupervisor
  private readonly log: Logger
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  private again = false
  /** Sooner-than-heartbeat next round (a lease held by a dead owner about to expire). */
  private retryInMs: number | undefined
  private stopped = false
  private live: string[] = []
  private leader: { leader: string; epoch: number } | undefined
  private assignment: PublishedAssignment | undefined
  private lastSnapshot: ClusterConfigSnapshot | undefined
  private redisDownSince: number | undefined
  private keepWorkersUntil = 0
  private lastRedisError: string | undefined
  /** The group's state marker as last seen; a different or missing one means Redis lost data. */
  private marker: string | undefined

  constructor(private readonly opts: DistributedWorkerOptions) {
    const cfg = opts.config
    this.id = cfg['worker.id'] ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    this.keys = groupKeys(cfg['redis.key.prefix'], cfg['group.id'])
    this.timings = timingsOf(cfg)
    this.log = createLogger('distributed.worker', { worker: this.id, group: cfg['group.id'] })
    const settings: RedisSettings = {
      url: cfg['redis.url'], password: cfg['redis.password'], username: cfg['redis.username'],
      tlsCaLocation: cfg['redis.tls.ca.location'], tlsRejectUnauthorized: cfg['redis.tls.reject.unauthorized'],
    }
    this.redis = connectCoordinationRedis(settings, `godwit-${this.id}`)
    this.sub = connectCoordinationRedis(settings, `godwit-${this.id}-sub`)
    for (const c of [this.redis, this.sub]) {
      c.on('error', (e: Error) => {
        this.lastRedisError = e.message
        this.log.debug({ err: e.message }, 'redis connection error')
      })
    }
    this.membership = new Membership(this.redis, this.keys, this.id, this.timings.sessionMs, { url: opts.restUrl, startedAt: Date.now() })
    this.leaderLease = new LeaderLease(this.redis, this.keys, this.id, this.timings.leaseMs)
    this.leases = new TaskLeases(this.redis, this.keys, this.id, this.timings.leaseMs)
    this.store = new RedisConfigStore(this.redis, this.keys)
    this.items = new ItemSupervisor({ workerId: this.id, redis: this.redis, keys: this.keys, leases: this.leases, store: this.store, runner: opts.runner, events: this.events, log: this.log })
    const bull = { connection: bullConnectionOptions(settings), prefix: bullPrefix(this.keys) }
    this.commands = new CommandQueue({ ...bull, timeoutMs: cfg['command.timeout.ms'], attempts: 3, backoffMs: cfg['periodic.job.backoff.ms'], lockMs: this.timings.leaseMs })
    this.periodic = new PeriodicJobs({ ...bull, redis: this.redis, keys: this.keys, attempts: cfg['periodic.job.attempts'], backoffMs: cfg['periodic.job.backoff.ms'] })
  }

  /** Connects (waiting up to redis.startup.timeout.ms for Redis), joins the group and starts the loop; RedisUnavailableError when Redis stays unreachable or refuses the credentials. */
  async start(): Promise<void> {
    await this.connect()
    await this.redis.set(this.keys.marker, newMarker(), 'NX')
    this.marker = (await this.redis.get(this.keys.marker)) ?? undefined
    await this.sub.subscribe(this.keys.wakeChannel)
    await this.commands.ready()
    // Only now may published changes wake the loop: it needs the marker read above.
    this.sub.on('message', () => this.wake())
    this.sub.on('ready', () => { this.sub.subscribe(this.keys.wakeChannel).catch(() => undefined) })
    this.periodic.start()
    this.events.add('joined', `worker ${this.id} joined group ${this.opts.config['group.id']}`)
    this.schedule(0)
  }

  /**
   * Waits until both clients are ready: ioredis keeps reconnecting (Redis may start after the
   * workers), up to redis.startup.timeout.ms; refused credentials fail at once.
   */
  private async connect(): Promise<void> {
    const deadline = Date.now() + this.opts.config['redis.startup.timeout.ms']
    for (const c of [this.redis, this.sub]) c.connect().catch(() => undefined)
    let warned = false
    for (;;) {
      if (this.redis.status === 'ready' && this.sub.status === 'ready') return
      const auth = /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username/i.test(this.lastRedisError ?? '')
      if (auth || Date.now() >= deadline) {
        this.stopped = true
        this.redis.disconnect()
        this.sub.disconnect()
        throw new RedisUnavailableError(`cannot connect to Redis at ${redactUrl(this.opts.config['redis.url'])}: ${this.lastRedisError ?? 'no answer'}`)
      }
      if (!warned && this.lastRedisError !== undefined) {
        warned = true
        this.log.warn({ err: this.lastRedisError }, 'waiting for Redis to become reachable')
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /** Asks the loop to run now (a change was published). */
  wake(): void {
    this.schedule(0)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.runTick() }, ms)
  }

  private async runTick(): Promise<void> {
    if (this.ticking !== undefined) { this.again = true; return }
    this.ticking = this.tick().finally(() => { this.ticking = undefined })
    await this.ticking
    if (this.stopped) return
    if (this.again) { this.again = false; this.schedule(0) } else this.schedule(Math.max(0, Math.min(this.timings.heartbeatMs, this.retryInMs ?? Infinity)))
  }

  /** One round. Never throws: an unreachable Redis is recorded and the next round retries. */
  private async tick(): Promise<void> {
    this.retryInMs = undefined
    try {
      const beat = await this.membership.heartbeat()
      this.live = beat.live
      this.redisBack()
      if (beat.marker !== this.marker) await this.recoverLostState()
      await this.items.renewLeases()
      await this.leadership()
      const snap = await this.store.snapshot()
      const assignment = await readAssignment(this.redis, this.keys)
      // Redis lost its data while this round ran: act on nothing read; the next round recovers.
      if ((await this.redis.get(this.keys.marker)) !== this.marker || assignment === undefined) return
      this.lastSnapshot = snap
      this.assignment = assignment
      const retry = await this.items.reconcile(new Set(this.assignment?.assignments[this.id] ?? []), this.lastSnapshot)
      const expiry = this.leader?.leader === this.id ? beat.nextExpiryMs + 5 : undefined
      this.retryInMs = Math.min(retry ?? Infinity, expiry ?? Infinity)
    } catch (e) {
      if (this.stopped) return
      this.redisDown(e as Error)
    }
  }

  private redisDown(err: Error): void {
    const now = Date.now()
    if (this.redisDownSince === undefined) {
      this.redisDownSince = now
      this.events.add('redis-unreachable', `Redis unreachable (${err.message}); ${this.items.size} running items keep running, membership and leases paused`)
      this.log.warn({ err: err.message, running: this.items.size }, 'redis unreachable; tasks keep running')
    }
    if (this.opts.config['redis.unreachable.policy'] === 'stop-tasks' && now - this.redisDownSince > this.timings.leaseMs && this.items.size > 0) {
      this.events.add('tasks-stopped', `Redis unreachable for over task.lease.ms: stopping ${this.items.size} items (redis.unreachable.policy=stop-tasks)`)
      void this.items.stopAll('redis-unreachable', false)
    }
  }

  /** True when this call ends an outage. */
  private redisBack(): boolean {
    if (this.redisDownSince === undefined) return false
    const ms = Date.now() - this.redisDownSince
    this.redisDownSince = undefined
    // Heartbeats of the others may not have caught up: keep their work for one session.
    this.keepWorkersUntil = Date.now() + this.timings.sessionMs
    this.events.add('redis-reconnected', `Redis reachable again after ${ms} ms; renewing ${this.items.size} leases`)
    this.log.info({ downMs: ms }, 'redis reachable again')
    return true
  }

  private async leadership(): Promise<void> {
    const view = await this.leaderLease.acquireOrRenew()
    const was = this.leader
    this.leader = view
    const leading = view.leader === this.id
    if (leading && (was?.leader !== this.id || was.epoch !== view.epoch)) {
      this.events.add('leader', `became leader of the group (epoch ${view.epoch})`)
      this.commands.startProcessing((cmd) => applyCommand(this.redis, this.keys, this.store.fencedBy(this.id), cmd))
    } else if (!leading && was?.leader === this.id) {
      this.events.add('leader-lost', `no longer leader (now ${view.leader}, epoch ${view.epoch})`)
      await this.commands.stopProcessing()
    }
    if (!leading) return
    const prev = await readAssignment(this.redis, this.keys)
    const keep = Date.now() < this.keepWorkersUntil ? Object.keys(prev?.assignments ?? {}) : []
    const r = await rebalance(this.redis, this.keys, this.store, this.id, view.epoch, this.live, keep, this.marker ?? '')
    if (r?.changed === true) {
      this.events.add('rebalance', `published assignment generation ${r.published.generation} for ${Object.keys(r.published.assignments).length} workers; ${r.moved} items moved`)
    }
  }

  /**
   * Redis lost the group's data (restarted without persistence): the first worker to notice puts
   * back configs and the assignment from its copy; every worker re-commits what it runs (offsets,
   * statuses) without overwriting newer values. Leases are re-created by renewLeases (the
   * generation counter is gone too, so each holder re-takes its own token).
   */
  private async recoverLostState(): Promise<void> {
    const { marker, restored } = await restoreGroupState(this.redis, this.keys, this.lastSnapshot, this.assignment, this.leader?.epoch ?? 0)
    const first = this.marker === undefined
    this.marker = marker
    if (first) return
    if (restored) {
      this.events.add('state-restored', `Redis had lost the group's state; restored ${Object.keys(this.lastSnapshot?.connectors ?? {}).length} connector configs and assignment generation ${this.assignment?.generation ?? '-'} from this worker's copy`)
    }
    // Hold off dropping members until everyone has heartbeated into the empty Redis.
    this.keepWorkersUntil = Date.now() + this.timings.sessionMs
    const { offsets, statuses } = await this.items.recommitAll()
    this.events.add('state-recovered', `re-committed ${offsets} cached source offsets and ${statuses} statuses after Redis lost its data`)
  }

  /** Sends a connector command to the leader and waits for its result. */
  async submit(cmd: ConnectorCommand): Promise<unknown> {
    return this.commands.submit(cmd)
  }

  /** The shared configuration as last read (or read now). */
  async snapshot(): Promise<ClusterConfigSnapshot> {
    return this.store.snapshot()
  }

  /** The raw coordination client (fenced stores are built on it). */
  get client(): Redis {
    return this.redis
  }

  status(): WorkerStatus {
    return {
      workerId: this.id,
      redis: this.redisDownSince === undefined ? 'connected' : `unreachable since ${new Date(this.redisDownSince).toISOString()}`,
      leader: this.leader?.leader,
      leaderEpoch: this.leader?.epoch,
      isLeader: this.leader?.leader === this.id && this.redisDownSince === undefined,
      generation: this.assignment?.generation,
      members: [...this.live],
      assigned: [...(this.assignment?.assignments[this.id] ?? [])],
      running: this.items.ids(),
      waiting: Object.fromEntries(this.items.waiting),
      events: this.events.recent(),
    }
  }

  runningItems(): string[] {
    return this.items.ids()
  }

  /** Graceful leave: stop items, release leases and the leader lease, leave the group. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.timer)
    await this.ticking
    await this.items.stopAll('shutdown', this.redisDownSince === undefined)
    if (this.redisDownSince === undefined) {
      await this.membership.leave().catch(() => undefined)
      if (this.leader?.leader === this.id) await this.leaderLease.release().catch(() => undefined)
      await this.redis.publish(this.keys.wakeChannel, 'left').catch(() => undefined)
    }
    await this.periodic.close().catch(() => undefined)
    await this.commands.close().catch(() => undefined)
    this.sub.disconnect()
    this.redis.disconnect()
  }

  /** Drops everything without telling the group (tests: what a crash looks like from inside). */
  async crash(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.ticking
    await this.items.stopAll('shutdown', false)
    await this.periodic.close().catch(() => undefined)
    await this.commands.close().catch(() => undefined)
    this.sub.disconnect()
    this.redis.disconnect()
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}
