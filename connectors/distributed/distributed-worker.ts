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
import { parseItem } from './assignment'
import { CommandQueue, type ConnectorCommand } from './command-queue'
import { timingsOf, type DistributedCoordinationConfig, type Timings } from './config'
import { RedisUnavailableError } from './errors'
import { FencedOffsetStore } from './fenced-offset-store'
import { groupKeys, bullPrefix, type GroupKeys } from './keys'
import { applyCommand, readAssignment, rebalance, type PublishedAssignment } from './leader-duties'
import { LeaderLease } from './leader-lease'
import { Membership } from './membership'
import { PeriodicJobs } from './periodic-jobs'
import { bullConnectionOptions, connectCoordinationRedis, type RedisSettings } from './redis-connection'
import { itemRevision, RedisConfigStore, type ClusterConfigSnapshot } from './redis-config-store'
import { TaskLeases } from './task-lease'
import { newMarker, restoreGroupState } from './state-restore'
import type { ItemState, LeasedItem, StopReason, WorkRunner } from './work-runner'
import { WorkerEvents, type WorkerStatus } from './worker-status'

export interface DistributedWorkerOptions {
  config: DistributedCoordinationConfig
  runner: WorkRunner
  /** REST URL this worker advertises to the group. */
  restUrl?: string
}

interface Running {
  leased: LeasedItem
  connector: string
  targetState: string | undefined
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
  private readonly running = new Map<string, Running>()
  private readonly waiting = new Map<string, string>()
  /** item → re-writes its last status without overwriting a newer one (after a data loss). */
  private readonly statusCache = new Map<string, () => Promise<boolean>>()
  private readonly log: Logger
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  private again = false
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
    const bull = { connection: bullConnectionOptions(settings), prefix: bullPrefix(this.keys) }
    this.commands = new CommandQueue({ ...bull, timeoutMs: cfg['command.timeout.ms'], attempts: 3, backoffMs: cfg['periodic.job.backoff.ms'] })
    this.periodic = new PeriodicJobs({ ...bull, redis: this.redis, keys: this.keys, attempts: cfg['periodic.job.attempts'], backoffMs: cfg['periodic.job.backoff.ms'] })
  }

  /** Connects, joins the group and starts the loop; RedisUnavailableError when Redis cannot be reached or refuses the credentials. */
  async start(): Promise<void> {
    try {
      await Promise.all([this.redis.connect(), this.sub.connect()])
    } catch (e) {
      this.stopped = true
      this.redis.disconnect()
      this.sub.disconnect()
      const why = this.lastRedisError ?? (e as Error).message
      throw new RedisUnavailableError(`cannot connect to Redis at ${redactUrl(this.opts.config['redis.url'])}: ${why}`, { cause: e })
    }
    await this.sub.subscribe(this.keys.wakeChannel)
    this.sub.on('message', () => this.wake())
    this.sub.on('ready', () => { this.sub.subscribe(this.keys.wakeChannel).catch(() => undefined) })
    await this.commands.ready()
    await this.redis.set(this.keys.marker, newMarker(), 'NX')
    this.marker = (await this.redis.get(this.keys.marker)) ?? undefined
    this.periodic.start()
    this.events.add('joined', `worker ${this.id} joined group ${this.opts.config['group.id']}`)
    this.schedule(0)
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
    if (this.again) { this.again = false; this.schedule(0) } else this.schedule(this.timings.heartbeatMs)
  }

  /** One round. Never throws: an unreachable Redis is recorded and the next round retries. */
  private async tick(): Promise<void> {
    try {
      const beat = await this.membership.heartbeat()
      this.live = beat.live
      this.redisBack()
      if (beat.marker !== this.marker) await this.recoverLostState()
      await this.renewLeases()
      await this.leadership()
      this.lastSnapshot = await this.store.snapshot()
      this.assignment = await readAssignment(this.redis, this.keys)
      await this.reconcile(this.lastSnapshot)
    } catch (e) {
      if (this.stopped) return
      this.redisDown(e as Error)
    }
  }

  private redisDown(err: Error): void {
    const now = Date.now()
    if (this.redisDownSince === undefined) {
      this.redisDownSince = now
      this.events.add('redis-unreachable', `Redis unreachable (${err.message}); ${this.running.size} running items keep running, membership and leases paused`)
      this.log.warn({ err: err.message, running: this.running.size }, 'redis unreachable; tasks keep running')
    }
    if (this.opts.config['redis.unreachable.policy'] === 'stop-tasks' && now - this.redisDownSince > this.timings.leaseMs && this.running.size > 0) {
      this.events.add('tasks-stopped', `Redis unreachable for over task.lease.ms: stopping ${this.running.size} items (redis.unreachable.policy=stop-tasks)`)
      for (const id of [...this.running.keys()]) void this.stopItem(id, 'redis-unreachable', false)
    }
  }

  /** True when this call ends an outage. */
  private redisBack(): boolean {
    if (this.redisDownSince === undefined) return false
    const ms = Date.now() - this.redisDownSince
    this.redisDownSince = undefined
    // Heartbeats of the others may not have caught up: keep their work for one session.
    this.keepWorkersUntil = Date.now() + this.timings.sessionMs
    this.events.add('redis-reconnected', `Redis reachable again after ${ms} ms; renewing ${this.running.size} leases`)
    this.log.info({ downMs: ms }, 'redis reachable again')
    return true
  }

  private async renewLeases(): Promise<void> {
    for (const [id, r] of [...this.running]) {
      if (await this.leases.renew(id, r.leased.token)) continue
      this.events.add('fenced', `lease of ${id} (generation ${r.leased.token}) was taken over by another worker; stopping it here`)
      await this.stopItem(id, 'fenced', false)
    }
  }

  private async leadership(): Promise<void> {
    const view = await this.leaderLease.acquireOrRenew()
    const was = this.leader
    this.leader = view
    const leading = view.leader === this.id
    if (leading && (was?.leader !== this.id || was.epoch !== view.epoch)) {
      this.events.add('leader', `became leader of the group (epoch ${view.epoch})`)
      this.commands.startProcessing((cmd) => applyCommand(this.redis, this.keys, this.store, cmd))
    } else if (!leading && was?.leader === this.id) {
      this.events.add('leader-lost', `no longer leader (now ${view.leader}, epoch ${view.epoch})`)
      await this.commands.stopProcessing()
    }
    if (!leading) return
    const prev = await readAssignment(this.redis, this.keys)
    const keep = Date.now() < this.keepWorkersUntil ? Object.keys(prev?.assignments ?? {}) : []
    const r = await rebalance(this.redis, this.keys, this.store, this.id, view.epoch, this.live, keep)
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
    let offsets = 0
    for (const r of this.running.values()) offsets += await r.leased.offsets.recommitCached().catch(() => 0)
    for (const r of this.running.values()) await this.statusCache.get(r.leased.id)?.().catch(() => false)
    this.events.add('state-recovered', `re-committed ${offsets} cached source offsets and ${this.running.size} statuses after Redis lost its data`)
  }

  private async reconcile(snap: ClusterConfigSnapshot): Promise<void> {
    const mine = new Set(this.assignment?.assignments[this.id] ?? [])
    for (const id of [...this.waiting.keys()]) if (!mine.has(id)) this.waiting.delete(id)
    for (const id of [...this.running.keys()]) {
      const r = this.running.get(id)!
      if (!mine.has(id)) await this.stopItem(id, snap.connectors[r.connector] === undefined ? 'deleted' : 'revoked', true)
      else if (r.leased.revision !== itemRevision(snap, id, r.connector)) {
        await this.stopItem(id, 'restart', true)
      } else if (r.targetState !== snap.connectors[r.connector]?.targetState) {
        r.targetState = snap.connectors[r.connector]?.targetState
        await this.opts.runner.targetStateChanged?.(id, snap)
      }
    }
    for (const id of [...mine].sort()) {
      if (this.running.has(id)) continue
      const item = parseItem(id)
      if (snap.connectors[item.connector] === undefined) continue
      const got = await this.leases.acquire(id)
      if (!got.acquired) {
        if (this.waiting.get(id) !== got.holder) this.events.add('waiting', `${id} assigned here; waiting for ${got.holder} to release its lease`)
        this.waiting.set(id, got.holder)
        continue
      }
      this.waiting.delete(id)
      await this.startItem(id, got.token, snap)
    }
  }

  private async startItem(id: string, token: number, snap: ClusterConfigSnapshot): Promise<void> {
    const item = parseItem(id)
    const statusHash = this.keys.status
    const leased: LeasedItem = {
      id, item, token,
      revision: itemRevision(snap, id, item.connector),
      offsets: new FencedOffsetStore(this.redis, this.keys, item.connector, this.leases, id, token),
      reportStatus: (state: ItemState, trace?: string) => {
        const fields: Array<[string, string]> = [[id, JSON.stringify({ state, worker_id: this.id, generation: token, trace, at: Date.now() })]]
        this.statusCache.set(id, () => this.leases.fencedHset(id, token, statusHash, fields, { nx: true }))
        return this.leases.fencedHset(id, token, statusHash, fields)
      },
      writeTaskConfigs: async (tasks) => {
        const version = snap.connectors[item.connector]?.version ?? 0
        const ok = await this.store.putTaskConfigs(this.leases, item.connector, token, { version, tasks })
        if (ok) await this.redis.publish(this.keys.wakeChannel, 'tasks')
        return ok
      },
    }
    this.running.set(id, { leased, connector: item.connector, targetState: snap.connectors[item.connector]?.targetState })
    this.events.add('started', `${id} started (lease generation ${token})`)
    try {
      await this.opts.runner.start(leased, snap)
    } catch (e) {
      this.log.warn({ item: id, err: (e as Error).message }, 'item failed to start')
      await leased.reportStatus('FAILED', (e as Error).stack).catch(() => false)
    }
  }

  private async stopItem(id: string, reason: StopReason, release: boolean): Promise<void> {
    const r = this.running.get(id)
    if (r === undefined) return
    this.running.delete(id)
    this.statusCache.delete(id)
    try {
      await this.opts.runner.stop(id, reason)
    } catch (e) {
      this.log.warn({ item: id, err: (e as Error).message }, 'item did not stop cleanly')
    }
    if (reason !== 'fenced') this.events.add('stopped', `${id} stopped (${reason})`)
    if (release) await this.leases.release(id, r.leased.token).catch(() => undefined)
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
      running: [...this.running.keys()].sort(),
      waiting: Object.fromEntries(this.waiting),
      events: this.events.recent(),
    }
  }

  runningItems(): string[] {
    return [...this.running.keys()].sort()
  }

  /** Graceful leave: stop items, release leases and the leader lease, leave the group. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.timer)
    await this.ticking
    for (const id of [...this.running.keys()]) await this.stopItem(id, 'shutdown', this.redisDownSince === undefined)
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
    for (const id of [...this.running.keys()]) {
      this.running.delete(id)
      await this.opts.runner.stop(id, 'shutdown').catch(() => undefined)
    }
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
