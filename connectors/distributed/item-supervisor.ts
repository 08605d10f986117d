// The work items running on one worker: started once their lease is won, renewed every round,
// stopped when they move away, restarted when their revision changes, told about target-state
// changes. Every item gets writers bound to its lease (fenced offsets, status, task configs).
// Runner calls (a connector's start may wait seconds on Kafka, a task's stop on its final commit)
// run in the background, one at a time per item, so the heartbeat round never waits on them.
import type Redis from 'ioredis'
import type { Logger } from '../../config'
import { parseItem } from './assignment'
import { FencedOffsetStore } from './fenced-offset-store'
import type { GroupKeys } from './keys'
import { itemRevision, type ClusterConfigSnapshot, type RedisConfigStore } from './redis-config-store'
import type { TaskLeases } from './task-lease'
import type { ItemState, LeasedItem, StopReason, WorkRunner } from './work-runner'
import type { WorkerEvents } from './worker-status'

interface Running {
  leased: LeasedItem
  connector: string
  targetState: string | undefined
  /** The item's runner calls, chained: start, target-state changes, then stop. */
  op: Promise<void>
}

export interface ItemSupervisorDeps {
  workerId: string
  redis: Redis
  keys: GroupKeys
  leases: TaskLeases
  store: RedisConfigStore
  runner: WorkRunner
  events: WorkerEvents
  log: Logger
}

export class ItemSupervisor {
  private readonly running = new Map<string, Running>()
  /** Items being stopped: not started again until their stop (and lease release) finished. */
  private readonly stopping = new Map<string, Promise<void>>()
  /** Assigned items whose lease another worker still holds: item → holder. */
  readonly waiting = new Map<string, string>()
  /** item → re-writes its last status without overwriting a newer one (after a data loss). */
  private readonly statusCache = new Map<string, () => Promise<boolean>>()

  constructor(private readonly d: ItemSupervisorDeps) {}

  ids(): string[] {
    return [...this.running.keys()].sort()
  }

  get size(): number {
    return this.running.size
  }

  /** Renews every lease; an item whose lease moved to another worker is stopped here (fenced). */
  async renewLeases(): Promise<void> {
    for (const [id, r] of [...this.running]) {
      if (await this.d.leases.renew(id, r.leased.token)) continue
      this.d.events.add('fenced', `lease of ${id} (generation ${r.leased.token}) was taken over by another worker; stopping it here`)
      void this.stop(id, 'fenced', false)
    }
  }

  /**
   * Makes what runs here match `mine` (this worker's share of the published assignment). Returns
   * how soon to look again when an assigned item's lease is still held elsewhere (its time left),
   * so a dead owner's task is taken the moment its lease expires, not a heartbeat later.
   */
  async reconcile(mine: Set<string>, snap: ClusterConfigSnapshot): Promise<number | undefined> {
    let retryInMs: number | undefined
    for (const id of [...this.waiting.keys()]) if (!mine.has(id)) this.waiting.delete(id)
    for (const [id, r] of [...this.running]) {
      if (!mine.has(id)) void this.stop(id, snap.connectors[r.connector] === undefined ? 'deleted' : 'revoked', true)
      else if (r.leased.revision !== itemRevision(snap, id, r.connector)) void this.stop(id, 'restart', true)
      else if (r.targetState !== snap.connectors[r.connector]?.targetState) {
        r.targetState = snap.connectors[r.connector]?.targetState
        r.op = r.op.then(() => this.d.runner.targetStateChanged?.(id, snap))
          .catch((e: unknown) => this.d.log.warn({ item: id, err: (e as Error).message }, 'target state change failed'))
      }
    }
    for (const id of [...mine].sort()) {
      if (this.running.has(id) || this.stopping.has(id)) continue
      if (snap.connectors[parseItem(id).connector] === undefined) continue
      const got = await this.d.leases.acquire(id)
      if (!got.acquired) {
        if (this.waiting.get(id) !== got.holder) this.d.events.add('waiting', `${id} assigned here; waiting for ${got.holder} to release its lease`)
        this.waiting.set(id, got.holder)
        if (got.expiresInMs > 0) retryInMs = Math.min(retryInMs ?? Infinity, got.expiresInMs + 5)
        continue
      }
      this.waiting.delete(id)
      this.start(id, got.token, snap)
    }
    return retryInMs
  }

  private start(id: string, token: number, snap: ClusterConfigSnapshot): void {
    const { redis, keys, leases, store } = this.d
    const item = parseItem(id)
    const leased: LeasedItem = {
      id, item, token,
      revision: itemRevision(snap, id, item.connector),
      offsets: new FencedOffsetStore(redis, keys, item.connector, leases, id, token),
      reportStatus: (state: ItemState, trace?: string) => {
        const fields: Array<[string, string]> = [[id, JSON.stringify({ state, worker_id: this.d.workerId, generation: token, trace, at: Date.now() })]]
        this.statusCache.set(id, () => leases.fencedHset(id, token, keys.status, fields, { nx: true }))
        return leases.fencedHset(id, token, keys.status, fields)
      },
      writeTaskConfigs: async (tasks) => {
        const version = snap.connectors[item.connector]?.version ?? 0
        const ok = await store.putTaskConfigs(leases, item.connector, token, { version, tasks })
        if (ok) await redis.publish(keys.wakeChannel, 'tasks')
        return ok
      },
    }
    const op = this.d.runner.start(leased, snap).catch(async (e: unknown) => {
      this.d.log.warn({ item: id, err: (e as Error).message }, 'item failed to start')
      await leased.reportStatus('FAILED', (e as Error).stack).catch(() => false)
    })
    this.running.set(id, { leased, connector: item.connector, targetState: snap.connectors[item.connector]?.targetState, op })
    this.d.events.add('started', `${id} started (lease generation ${token})`)
  }

  /**
   * Stops one item (after its pending runner calls); `release` then gives its lease back so the
   * next owner need not wait for it to expire (not after a fence, nor without Redis).
   */
  stop(id: string, reason: StopReason, release: boolean): Promise<void> {
    const r = this.running.get(id)
    if (r === undefined) return this.stopping.get(id) ?? Promise.resolve()
    this.running.delete(id)
    this.statusCache.delete(id)
    const done = r.op
      .then(() => this.d.runner.stop(id, reason))
      .catch((e: unknown) => this.d.log.warn({ item: id, err: (e as Error).message }, 'item did not stop cleanly'))
      .then(async () => {
        if (reason !== 'fenced') this.d.events.add('stopped', `${id} stopped (${reason})`)
        if (!release) return
        await this.d.leases.release(id, r.leased.token)
        await this.d.redis.publish(this.d.keys.wakeChannel, 'released')
      })
      .catch(() => undefined)
      .finally(() => { if (this.stopping.get(id) === done) this.stopping.delete(id) })
    this.stopping.set(id, done)
    return done
  }

  /** Stops everything and waits for every stop in progress. */
  async stopAll(reason: StopReason, release: boolean): Promise<void> {
    for (const id of this.ids()) void this.stop(id, reason, release)
    await Promise.all([...this.stopping.values()])
  }

  /** After Redis lost its data: offer back each item's last offsets and status (never over newer ones). */
  async recommitAll(): Promise<{ offsets: number; statuses: number }> {
    let offsets = 0
    let statuses = 0
    for (const r of this.running.values()) offsets += await r.leased.offsets.recommitCached().catch(() => 0)
    for (const id of this.running.keys()) if (await this.statusCache.get(id)?.().catch(() => false)) statuses++
    return { offsets, statuses }
  }
}
