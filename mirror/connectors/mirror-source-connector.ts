// MirrorSourceConnector: finds the source topics to replicate (and new partitions) every
// refresh.topics.interval.seconds, keeps their remote topics on the target alike, and spreads the
// partitions over tasks.
import type { Admin } from 'kafkajs'
import { createLogger, type ConfigDef, type KeySpecs, type Logger } from '../../config'
import { SourceConnector, type ConnectorProps, type SourceTaskClass } from '../../connectors/api'
import { MirrorConnectorConfigDef } from '../config'
import { intervalMs, mirrorContext, type MirrorContext } from './mirror-props'
import { MirrorSourceTask } from './mirror-source-task'
import { TopicAclSync } from './topic-acl-sync'
import { encodePartitions, spreadPartitions } from './topic-partitions'
import { TopicSync, type SourceTopic } from './topic-sync'

export class MirrorSourceConnector extends SourceConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.mirror.MirrorSourceConnector'
  private m: MirrorContext | undefined
  private props: ConnectorProps = {}
  private admins: Admin[] = []
  private sync: TopicSync | undefined
  /** Present when sync.topic.acls.enabled; its `state` shows 'unsupported' for a cluster without ACLs. */
  aclSync: TopicAclSync | undefined
  private known: SourceTopic[] = []
  private timers: NodeJS.Timeout[] = []
  private busy: Promise<void> = Promise.resolve()
  private log: Logger = createLogger('mirror-source-connector')

  config(): ConfigDef<KeySpecs> { return MirrorConnectorConfigDef as unknown as ConfigDef<KeySpecs> }
  taskClass(): SourceTaskClass { return MirrorSourceTask }

  async start(props: ConnectorProps): Promise<void> {
    this.props = props
    const m = mirrorContext(props)
    this.m = m
    this.log = createLogger('mirror-source-connector', { connector: `${m.source}->${m.target}.MirrorSourceConnector` })
    if (!m.config.enabled) return
    const source = m.sourceKafka('admin').admin()
    const target = m.targetKafka('admin').admin()
    this.admins = [source, target]
    await Promise.all([source.connect(), target.connect()])
    this.sync = new TopicSync(m, source, target, this.log)
    await this.refreshTopics(false)
    if (m.config['sync.topic.configs.enabled']) await this.sync.syncConfigs(this.known)
    const every = (enabled: boolean, seconds: number, job: () => Promise<unknown>): void => {
      const ms = intervalMs(seconds)
      if (!enabled || ms === undefined) return
      this.timers.push(setInterval(() => { this.serially(job) }, ms))
    }
    every(m.config['refresh.topics.enabled'], m.config['refresh.topics.interval.seconds'], () => this.refreshTopics(true))
    every(m.config['sync.topic.configs.enabled'], m.config['sync.topic.configs.interval.seconds'], () => this.sync!.syncConfigs(this.known))
    if (m.config['sync.topic.acls.enabled']) {
      const acls = new TopicAclSync(source, target, (t) => m.policy.formatRemoteTopic(m.source, t), this.log)
      this.aclSync = acls
      // In the background: replication never waits for (or fails because of) ACLs.
      this.serially(() => acls.sync(this.known.map((t) => t.topic)))
      every(true, m.config['sync.topic.acls.interval.seconds'], () => acls.sync(this.known.map((t) => t.topic)))
    }
  }

  /** Background jobs run one at a time; a failure is logged and retried at the next tick. */
  private serially(job: () => Promise<unknown>): void {
    this.busy = this.busy.then(job).then(() => undefined, (err: unknown) => { this.log.warn({ err }, 'topic refresh failed; will retry') })
  }

  private async refreshTopics(reconfigure: boolean): Promise<void> {
    const topics = await this.sync!.discover()
    await this.sync!.createAndGrow(topics)
    const signature = (ts: SourceTopic[]): string => JSON.stringify(ts)
    const changed = signature(topics) !== signature(this.known)
    this.known = topics
    if (changed && reconfigure) {
      this.log.info({ topics: topics.map((t) => `${t.topic}:${t.partitions}`) }, 'source topics changed; reassigning tasks')
      this.context.requestTaskReconfiguration()
    }
  }

  taskConfigs(maxTasks: number): ConnectorProps[] {
    if (this.m === undefined || !this.m.config.enabled) return []
    const partitions = this.known.flatMap((t) => Array.from({ length: t.partitions }, (_, partition) => ({ topic: t.topic, partition })))
    if (partitions.length === 0) return []
    const compression = Object.fromEntries(this.known.filter((t) => t.compression !== undefined).map((t) => [t.topic, t.compression!]))
    return spreadPartitions(partitions, maxTasks).map((tps) => ({
      ...this.props,
      'task.assigned.partitions': encodePartitions(tps),
      'task.topic.compression': JSON.stringify(compression),
    }))
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    await this.busy
    await Promise.all(this.admins.map((a) => a.disconnect()))
    this.admins = []
  }
}
