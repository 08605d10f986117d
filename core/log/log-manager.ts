// All partition logs of one data directory: topics (created, deleted, grown, configured at
// runtime, persisted in their partition directories), Kafka's checkpoint files and
// clean-shutdown marker, and the background retention and compaction tasks.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ConfigError } from '../../config/errors'
import { createLogger } from '../../config/logger'
import { readCheckpoint, writeCheckpoint } from './checkpoint'
import { cleanLog, needsCleaning } from './cleaner'
import { systemClock, type Clock } from './clock'
import { DataDirLock } from './dir-lock'
import { InvalidPartitionsError, InvalidTopicError, TopicExistsError, UnknownTopicOrPartitionError } from './errors'
import { FdCache } from './fd-cache'
import { fsyncDir, segmentName, writeFilesDurably } from './io'
import type { PartitionLog } from './partition-log'
import { openPartitionLog, type RecoveryReport } from './recovery'
import { applyRetention } from './retention'
import { TopicConfigDef, normalizeTopicConfig, parseTopicConfig, type TopicConfig } from './topic-config'
import { configFile, newTopicId, readTopicFiles, topicFiles, topicNameProblem } from './topic-store'

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown'
const RECOVERY_POINTS = 'recovery-point-offset-checkpoint'
const LOG_STARTS = 'log-start-offset-checkpoint'

export interface LogManagerOptions {
  dataDir: string
  /** Broker-level topic config defaults, by topic config names (e.g. 'segment.bytes'). */
  defaults?: Record<string, string>
  clock?: Clock
  /** Most segment files open at once (default 1000). */
  maxOpenFiles?: number
  /** Background retention check period (Kafka's log.retention.check.interval.ms, default 300000; 0 disables). */
  retentionCheckIntervalMs?: number
  /** Background cleaner period (Kafka's log.cleaner.backoff.ms, default 15000; 0 disables). */
  cleanerIntervalMs?: number
  /** Checkpoint-file period (Kafka's log.flush.offset.checkpoint.interval.ms, default 60000). */
  checkpointIntervalMs?: number
  /** Idle producers' idempotence state is dropped after this (Kafka's producer.id.expiration.ms, default 86400000). */
  producerIdExpirationMs?: number
}

export interface TopicInfo { name: string; topicId: Buffer; config: TopicConfig; partitions: PartitionLog[] }

interface TopicState { name: string; topicId: Buffer; overrides: Record<string, string>; config: TopicConfig; partitions: PartitionLog[] }

export interface ConfigEntry { name: string; value: string | null; isDefault: boolean; source: 'topic' | 'broker-default' | 'default'; isSensitive: boolean; readOnly: boolean }

const logger = createLogger('core/log')

export class LogManager {
  private readonly topics = new Map<string, TopicState>()
  private readonly timers: NodeJS.Timeout[] = []
  readonly fds: FdCache
  readonly clock: Clock
  readonly defaults: Record<string, string>
  private closed = false
  private readonly producerIdExpirationMs: number
  /** What opening each partition found (truncations, rebuilt indexes), by "<topic>-<partition>". */
  readonly recoveryReports = new Map<string, RecoveryReport>()

  private constructor(readonly dataDir: string, opts: LogManagerOptions, private readonly lock: DataDirLock) {
    this.fds = new FdCache(opts.maxOpenFiles ?? 1000)
    this.clock = opts.clock ?? systemClock
    this.defaults = { ...(opts.defaults ?? {}) }
    this.producerIdExpirationMs = opts.producerIdExpirationMs ?? 86400000
    parseTopicConfig(this.defaults, {}) // a bad broker default fails here, by name
  }

  static async open(opts: LogManagerOptions): Promise<LogManager> {
    fs.mkdirSync(opts.dataDir, { recursive: true })
    // Before reading anything: another owner may be writing here (throws DataDirLockedError).
    const lock = DataDirLock.acquire(opts.dataDir)
    let m: LogManager
    try {
      m = new LogManager(opts.dataDir, opts, lock)
      m.load()
    } catch (e) {
      lock.release()
      throw e
    }
    const every = (ms: number | undefined, def: number, fn: () => void): void => {
      const period = ms ?? def
      if (period <= 0) return
      const t = setInterval(() => { try { fn() } catch (e) { logger.error({ err: e }, 'background log task failed') } }, period)
      t.unref()
      m.timers.push(t)
    }
    every(opts.retentionCheckIntervalMs, 300000, () => { m.runRetention(); m.expireProducers() })
    every(opts.cleanerIntervalMs, 15000, () => { void m.runCleaner().catch((e: unknown) => logger.error({ err: e }, 'log cleaner failed')) })
    every(opts.checkpointIntervalMs, 60000, () => m.checkpoint())
    return m
  }

  private load(): void {
    const marker = path.join(this.dataDir, CLEAN_SHUTDOWN_FILE)
    const clean = fs.existsSync(marker)
    const recoveryPoints = readCheckpoint(path.join(this.dataDir, RECOVERY_POINTS))
    const logStarts = readCheckpoint(path.join(this.dataDir, LOG_STARTS))
    const byTopic = new Map<string, number[]>()
    for (const name of fs.readdirSync(this.dataDir)) {
      const full = path.join(this.dataDir, name)
      if (name.endsWith('-delete')) { fs.rmSync(full, { recursive: true, force: true }); continue }
      const m = /^(.+)-(\d+)$/.exec(name)
      if (m === null || !fs.statSync(full).isDirectory()) continue
      byTopic.set(m[1], [...(byTopic.get(m[1]) ?? []), Number(m[2])])
    }
    for (const [topic, parts] of byTopic) {
      parts.sort((a, b) => a - b)
      const files = readTopicFiles(this.partitionDir(topic, parts[0]))
      const state: TopicState = { name: topic, topicId: files.topicId ?? newTopicId(), overrides: files.overrides, config: this.parse(topic, files.overrides), partitions: [] }
      for (const p of parts) {
        const key = `${topic}-${p}`
        state.partitions[p] = this.openPartition(state, p, clean, recoveryPoints.get(key), logStarts.get(key))
      }
      this.topics.set(topic, state)
    }
    if (clean) fs.rmSync(marker, { force: true })
    this.checkpoint()
  }

  private parse(topic: string, overrides: Record<string, string>): TopicConfig {
    try { return parseTopicConfig(this.defaults, overrides) } catch (e) {
      logger.warn({ topic, err: e }, 'stored topic config is invalid; using defaults')
      return parseTopicConfig(this.defaults, {})
    }
  }

  private partitionDir(topic: string, p: number): string { return path.join(this.dataDir, `${topic}-${p}`) }

  private openPartition(state: TopicState, p: number, clean: boolean, recoveryPoint?: number, logStartOffset?: number): PartitionLog {
    const { log, report } = openPartitionLog({
      topic: state.name, partition: p, dir: this.partitionDir(state.name, p), fds: this.fds, clock: this.clock, config: state.config,
      clean, recoveryPoint, logStartOffset, onLogStartOffset: (_log, urgent) => (urgent ? this.checkpointLogStarts() : this.scheduleLogStartCheckpoint()),
    })
    this.recoveryReports.set(log.name, report)
    if (report.truncatedBytes > 0 || report.droppedSegments > 0) logger.warn({ partition: log.name, ...report }, 'recovered partition log')
    return log
  }

  listTopics(): string[] { return [...this.topics.keys()].sort() }

  topic(name: string): TopicInfo | undefined {
    const t = this.topics.get(name)
    return t === undefined ? undefined : { name: t.name, topicId: t.topicId, config: t.config, partitions: [...t.partitions] }
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[index]
  }

  /** Every partition log (for the broker's metadata and for maintenance). */
  allPartitions(): PartitionLog[] { return [...this.topics.values()].flatMap((t) => t.partitions) }

  async createTopic(name: string, numPartitions: number, configs: Record<string, string> = {}): Promise<TopicInfo> {
    const problem = topicNameProblem(name)
    if (problem !== undefined) throw new InvalidTopicError(`topic name "${name}" ${problem}`)
    if (this.topics.has(name)) throw new TopicExistsError(`topic "${name}" already exists`)
    if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new InvalidPartitionsError(`topic "${name}": the partition count must be a positive integer, got ${numPartitions}`)
    const overrides = this.validOverrides(name, configs)
    const state: TopicState = { name, topicId: newTopicId(), overrides, config: parseTopicConfig(this.defaults, overrides), partitions: [] }
    this.topics.set(name, state)
    try { await this.addPartitions(state, numPartitions) } catch (e) { this.topics.delete(name); throw e }
    return this.topic(name)!
  }

  private validOverrides(topic: string, configs: Record<string, string | null>): Record<string, string> {
    const clean: Record<string, string> = {}
    for (const [k, v] of Object.entries(normalizeTopicConfig(configs))) clean[k] = String(v)
    try { TopicConfigDef.parse(clean) } catch (e) {
      throw new ConfigError(`topic "${topic}": ${(e as Error).message}`)
    }
    return clean
  }

  /** Creates the directories (metadata, config, an empty first segment) durably, then opens them. */
  private async addPartitions(state: TopicState, total: number): Promise<void> {
    const first = state.partitions.length
    const files = []
    for (let p = first; p < total; p++) {
      const dir = this.partitionDir(state.name, p)
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, `${segmentName(0)}.log`), '')
      files.push(...topicFiles(dir, state.topicId, state.overrides))
    }
    await writeFilesDurably(files)
    fsyncDir(this.dataDir)
    for (let p = first; p < total; p++) state.partitions[p] = this.openPartition(state, p, true)
  }

  async createPartitions(name: string, newTotal: number): Promise<void> {
    const t = this.require(name)
    if (!Number.isInteger(newTotal) || newTotal <= t.partitions.length) {
      throw new InvalidPartitionsError(`topic "${name}" has ${t.partitions.length} partitions; the new total must be larger, got ${newTotal}`)
    }
    await this.addPartitions(t, newTotal)
  }

  async deleteTopic(name: string): Promise<void> {
    const t = this.require(name)
    this.topics.delete(name)
    for (const log of t.partitions) {
      await log.close().catch(() => undefined)
      this.fds.evictUnder(log.dir + path.sep)
      const doomed = `${log.dir}.${crypto.randomBytes(8).toString('hex')}-delete`
      fs.renameSync(log.dir, doomed)
      fs.rm(doomed, { recursive: true, force: true }, () => undefined)
    }
    fsyncDir(this.dataDir)
  }

  async alterTopicConfig(name: string, changes: Record<string, string | null>): Promise<void> {
    const t = this.require(name)
    const next: Record<string, string> = { ...t.overrides }
    for (const [k, v] of Object.entries(changes)) { if (v === null) delete next[k]; else next[k] = v }
    const overrides = this.validOverrides(name, next)
    t.overrides = overrides
    t.config = parseTopicConfig(this.defaults, overrides)
    await writeFilesDurably(t.partitions.map((log) => configFile(log.dir, overrides)))
    for (const log of t.partitions) log.config = t.config
  }

  describeTopicConfig(name: string): ConfigEntry[] {
    const t = this.require(name)
    return Object.keys(TopicConfigDef.keys).map((key) => {
      const v = (t.config as Record<string, unknown>)[key]
      const source = key in t.overrides ? 'topic' : key in this.defaults ? 'broker-default' : 'default'
      return { name: key, value: v === undefined || v === null ? null : Array.isArray(v) ? v.join(',') : String(v), isDefault: source === 'default', source, isSensitive: false, readOnly: false }
    })
  }

  private require(name: string): TopicState {
    const t = this.topics.get(name)
    if (t === undefined) throw new UnknownTopicOrPartitionError(`topic "${name}" does not exist`)
    return t
  }

  /** Applies retention to every partition now; returns the number of segments deleted. */
  runRetention(now = this.clock.now()): number {
    let n = 0
    for (const log of this.allPartitions()) if (!log.closed) n += applyRetention(log, now)
    return n
  }

  /** Drops the state of producers idle past producer.id.expiration.ms; returns how many. */
  expireProducers(now = this.clock.now()): number {
    let n = 0
    for (const log of this.allPartitions()) n += log.producers.expire(now, this.producerIdExpirationMs)
    return n
  }

  /** Compacts every compacted partition that needs it (force: regardless of the dirty ratio). */
  async runCleaner(opts: { force?: boolean; now?: number } = {}): Promise<number> {
    let n = 0
    for (const log of this.allPartitions()) {
      const now = opts.now ?? this.clock.now()
      if (log.closed || !(opts.force === true || needsCleaning(log, now))) continue
      n += (await cleanLog(log, now)).segmentsCleaned
    }
    return n
  }

  /** Writes the recovery-point and log-start-offset checkpoint files. */
  checkpoint(): void {
    const logs = this.allPartitions()
    writeCheckpoint(path.join(this.dataDir, RECOVERY_POINTS), logs.map((l) => ({ topic: l.topic, partition: l.partition, offset: l.recoveryPoint })))
    this.checkpointLogStarts()
  }

  private logStartPending = false

  /** Many partitions may move their start at once (retention): write the file once for all. */
  private scheduleLogStartCheckpoint(): void {
    if (this.logStartPending) return
    this.logStartPending = true
    setImmediate(() => {
      this.logStartPending = false
      if (!this.closed) this.checkpointLogStarts()
    })
  }

  private checkpointLogStarts(): void {
    const logs = this.allPartitions()
    writeCheckpoint(path.join(this.dataDir, LOG_STARTS), logs.map((l) => ({ topic: l.topic, partition: l.partition, offset: l.logStartOffset })))
  }

  /** Flushes and closes every log, writes checkpoints and the clean-shutdown marker. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    try {
      await Promise.all(this.allPartitions().map((l) => l.close()))
      this.checkpoint()
      this.fds.closeAll()
      fs.writeFileSync(path.join(this.dataDir, CLEAN_SHUTDOWN_FILE), '')
      fsyncDir(this.dataDir)
    } finally {
      this.lock.release()
    }
  }
}
