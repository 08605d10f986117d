// MirrorCheckpointTask: follows the offset-syncs topic, and every emit.checkpoints.interval.seconds
// translates its groups' committed upstream offsets into checkpoints on the target
// (`<source>.checkpoints.internal`). With sync.group.offsets.enabled it also writes the translated
// offsets into the same groups on the target while no member of the group is active there.
import type { Admin, Kafka } from 'kafkajs'
import { createLogger, type Logger } from '../../config'
import { SourceTask, type ConnectorProps, type SourceRecord } from '../../connectors/api'
import { decodeOffsetSync, encodeCheckpointKey, encodeCheckpointValue, type Checkpoint } from '../formats'
import { topicFilter, type NameFilter } from '../filters'
import { OffsetTranslator } from '../offsets'
import { isCycle } from '../policy'
import { advanceGroupOffsets, committedOffsets, isGroupIdle, type GroupOffset } from './group-offsets'
import { ensureTopic } from './internal-topics'
import { intervalMs, mirrorContext, offsetSyncsLocation, type MirrorContext } from './mirror-props'
import { PartitionReader } from './partition-reader'

export class MirrorCheckpointTask extends SourceTask {
  private m: MirrorContext | undefined
  private groups: string[] = []
  private topics: NameFilter | undefined
  private readonly translator = new OffsetTranslator()
  private syncReader: PartitionReader | undefined
  private follow: Promise<void> = Promise.resolve()
  private sourceAdmin: Admin | undefined
  private targetAdmin: Admin | undefined
  private targetKafka: Kafka | undefined
  private readonly emitted = new Map<string, string>()
  private readonly latest = new Map<string, Checkpoint>()
  private nextCheckpoint = 0
  private nextGroupSync = 0
  private stopped = false
  private wake: (() => void) | undefined
  private log: Logger = createLogger('mirror-checkpoint-task')

  async start(props: ConnectorProps): Promise<void> {
    const m = mirrorContext(props)
    this.m = m
    this.log = createLogger('mirror-checkpoint-task', { connector: `${m.source}->${m.target}.MirrorCheckpointConnector`, task: this.context?.taskId })
    this.groups = (props['task.assigned.groups'] ?? '').split(',').filter((g) => g !== '')
    this.topics = topicFilter(m.config)
    this.sourceAdmin = m.sourceKafka('checkpoint-admin').admin()
    this.targetKafka = m.targetKafka('checkpoint-admin')
    this.targetAdmin = this.targetKafka.admin()
    await Promise.all([this.sourceAdmin.connect(), this.targetAdmin.connect()])
    await ensureTopic(this.targetAdmin, m.policy.checkpointsTopic(m.source), 1, m.config['checkpoints.topic.replication.factor'], { 'cleanup.policy': 'compact' })
    const loc = offsetSyncsLocation(m)
    const syncKafka = loc.onSource ? m.sourceKafka('offset-syncs-reader') : m.targetKafka('offset-syncs-reader')
    const syncAdmin = syncKafka.admin()
    await syncAdmin.connect()
    try { await ensureTopic(syncAdmin, loc.topic, 1, m.config['offset-syncs.topic.replication.factor']) } finally { await syncAdmin.disconnect() }
    this.syncReader = new PartitionReader(syncKafka, [{ topic: loc.topic, partition: 0 }], new Map(), {
      groupPrefix: `__godwit-mm2-${m.source}-${m.target}-syncs${this.context?.taskId ?? 0}`,
    })
    await this.syncReader.start()
    this.follow = this.followSyncs()
    this.log.info({ groups: this.groups.length }, 'checkpoint task started')
  }

  private async followSyncs(): Promise<void> {
    while (!this.stopped) {
      for (const r of await this.syncReader!.take(500)) {
        try { this.translator.add(decodeOffsetSync(r.message.key, r.message.value)) } catch (err) { this.log.warn({ err, offset: r.offset }, 'skipping a bad offset sync') }
      }
    }
  }

  /** A group's committed offsets on topics this flow replicates. */
  private replicated(o: GroupOffset): boolean {
    const m = this.m!
    return this.topics!.accepts(o.topic) && !m.policy.isInternalTopic(o.topic) && !isCycle(m.policy, o.topic, m.target)
  }

  async poll(): Promise<SourceRecord[] | null> {
    const m = this.m!
    const every = intervalMs(m.config['emit.checkpoints.interval.seconds'])
    const now = Date.now()
    const due = Math.min(this.nextCheckpoint, this.nextGroupSync)
    if (every === undefined || !m.config['emit.checkpoints.enabled'] || now < due) {
      await this.sleep(Math.max(10, Math.min(1000, due - now)))
      return null
    }
    const out: SourceRecord[] = []
    if (now >= this.nextCheckpoint) {
      this.nextCheckpoint = now + every
      for (const group of this.groups) {
        for (const cp of await this.checkpoints(group)) {
          const key = `${cp.consumerGroupId}\u0000${cp.topic}\u0000${cp.partition}`
          this.latest.set(key, cp)
          const sig = `${cp.upstreamOffset}:${cp.offset}:${cp.metadata}`
          if (this.emitted.get(key) === sig) continue
          this.emitted.set(key, sig)
          out.push({
            topic: m.policy.checkpointsTopic(m.source),
            partition: 0,
            key: encodeCheckpointKey(cp),
            value: encodeCheckpointValue(cp),
            timestamp: now,
            sourcePartition: { group: cp.consumerGroupId, topic: cp.topic, partition: cp.partition },
            sourceOffset: { offset: 0 },
          })
        }
      }
    }
    const syncEvery = intervalMs(m.config['sync.group.offsets.interval.seconds'])
    if (m.config['sync.group.offsets.enabled'] && syncEvery !== undefined && now >= this.nextGroupSync) {
      this.nextGroupSync = now + syncEvery
      await this.syncGroupOffsets()
    } else if (!m.config['sync.group.offsets.enabled']) {
      this.nextGroupSync = Number.MAX_SAFE_INTEGER
    }
    return out
  }

  private async checkpoints(group: string): Promise<Checkpoint[]> {
    const m = this.m!
    const out: Checkpoint[] = []
    for (const o of (await committedOffsets(this.sourceAdmin!, group)).filter((x) => this.replicated(x))) {
      const offset = this.translator.translate(o.topic, o.partition, o.offset)
      if (offset === undefined) continue // not covered by a sync yet: never guess
      out.push({ consumerGroupId: group, topic: m.policy.formatRemoteTopic(m.source, o.topic), partition: o.partition, upstreamOffset: o.offset, offset, metadata: o.metadata })
    }
    return out
  }

  private async syncGroupOffsets(): Promise<void> {
    const byGroup = new Map<string, GroupOffset[]>()
    for (const cp of this.latest.values()) {
      byGroup.set(cp.consumerGroupId, [...(byGroup.get(cp.consumerGroupId) ?? []), { topic: cp.topic, partition: cp.partition, offset: cp.offset, metadata: cp.metadata }])
    }
    for (const [group, offsets] of byGroup) {
      try {
        if (!(await isGroupIdle(this.targetAdmin!, group))) continue
        const written = await advanceGroupOffsets(this.targetAdmin!, this.targetKafka!, group, offsets)
        if (written.length > 0) this.log.info({ group, partitions: written.length }, 'synced group offsets to the target')
      } catch (err) {
        this.log.warn({ err, group }, 'group offset sync failed; will retry')
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => { const t = setTimeout(r, ms); this.wake = () => { clearTimeout(t); r() } })
  }

  /** Ends a poll that is waiting (the runner is stopping). */
  wakeup(): void { this.wake?.() }

  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.syncReader?.stop()
    await this.follow
    await Promise.all([this.sourceAdmin?.disconnect(), this.targetAdmin?.disconnect()])
  }
}
