// The source connector's view of topics: which source topics to replicate (filters, internal
// topics, cycles), and keeping their remote twins on the target alike: created with the source's
// partition count and configs (minus config.properties.exclude), partitions grown, configs synced.
import { ConfigResourceTypes, type Admin } from 'kafkajs'
import type { Logger } from '../../config'
import { ConfigPropertyFilter, topicFilter, type NameFilter } from '../filters'
import { isCycle } from '../policy'
import type { MirrorContext } from './mirror-props'
import { ensureTopic } from './internal-topics'

export interface SourceTopic {
  topic: string
  partitions: number
  /** The source topic's compression.type when it names a codec (gzip, snappy, lz4, zstd). */
  compression?: string
}

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd']

export class TopicSync {
  private readonly topics: NameFilter
  private readonly configs: ConfigPropertyFilter

  constructor(private readonly m: MirrorContext, private readonly source: Admin, private readonly target: Admin, private readonly log: Logger) {
    this.topics = topicFilter(m.config)
    this.configs = new ConfigPropertyFilter(m.config['config.properties.exclude'])
  }

  /** Whether a source topic is replicated to the target by this flow. */
  shouldReplicate(topic: string): boolean {
    const { policy, target } = this.m
    if (!this.topics.accepts(topic) || policy.isInternalTopic(topic)) return false
    // Never back to a cluster the topic came from (by name; the identity policy also uses headers).
    return !isCycle(policy, topic, target)
  }

  remoteTopic(topic: string): string {
    return this.m.policy.formatRemoteTopic(this.m.source, topic)
  }

  /** Source topics to replicate with their partition counts and compression. */
  async discover(): Promise<SourceTopic[]> {
    const names = (await this.source.listTopics()).filter((t) => this.shouldReplicate(t)).sort()
    if (names.length === 0) return []
    const meta = await this.source.fetchTopicMetadata({ topics: names })
    const configs = await this.topicConfigs(this.source, names)
    return meta.topics.map((t) => {
      const c = configs.get(t.name)?.get('compression.type')
      return { topic: t.name, partitions: t.partitions.length, ...(c !== undefined && CODECS.includes(c) ? { compression: c } : {}) }
    }).sort((x, y) => x.topic.localeCompare(y.topic))
  }

  /** Creates missing remote topics and grows partition counts. Returns the topics it created. */
  async createAndGrow(topics: SourceTopic[]): Promise<string[]> {
    const created: string[] = []
    const existing = new Set(await this.target.listTopics())
    const sourceConfigs = await this.topicConfigs(this.source, topics.map((t) => t.topic))
    for (const t of topics) {
      const remote = this.remoteTopic(t.topic)
      if (!existing.has(remote)) {
        const configs = Object.fromEntries([...(sourceConfigs.get(t.topic) ?? new Map())].filter(([k]) => this.configs.accepts(k)))
        if (await ensureTopic(this.target, remote, t.partitions, this.m.config['replication.factor'], configs)) {
          created.push(remote)
          this.log.info({ topic: t.topic, remote, partitions: t.partitions }, 'created remote topic')
        }
      }
    }
    const remotes = topics.map((t) => ({ t, remote: this.remoteTopic(t.topic) })).filter((x) => existing.has(x.remote))
    if (remotes.length === 0) return created
    const meta = await this.target.fetchTopicMetadata({ topics: remotes.map((x) => x.remote) })
    const counts = new Map(meta.topics.map((t) => [t.name, t.partitions.length]))
    const grow = remotes.filter((x) => (counts.get(x.remote) ?? 0) < x.t.partitions)
    if (grow.length > 0) {
      await this.target.createPartitions({ topicPartitions: grow.map((x) => ({ topic: x.remote, count: x.t.partitions })) })
      for (const x of grow) this.log.info({ remote: x.remote, partitions: x.t.partitions }, 'grew remote topic partitions')
    }
    return created
  }

  /**
   * Makes remote topic configs match the source's (the replicated properties only). kafkajs has no
   * IncrementalAlterConfigs, so each changed topic gets one AlterConfigs call with its full
   * override set, keeping the target's own values for excluded properties (incremental in effect).
   */
  async syncConfigs(topics: SourceTopic[]): Promise<number> {
    // A topic deleted since the last refresh would fail the whole describe: the others still sync.
    const sourceNames = new Set(await this.source.listTopics())
    topics = topics.filter((t) => sourceNames.has(t.topic))
    if (topics.length === 0) return 0
    const source = await this.topicConfigs(this.source, topics.map((t) => t.topic))
    const targetNames = new Set(await this.target.listTopics())
    const remotes = topics.map((t) => this.remoteTopic(t.topic)).filter((r) => targetNames.has(r))
    const target = await this.topicConfigs(this.target, remotes)
    let changed = 0
    for (const t of topics) {
      const remote = this.remoteTopic(t.topic)
      const have = target.get(remote)
      if (have === undefined) continue
      const want = new Map([...(source.get(t.topic) ?? new Map())].filter(([k]) => this.configs.accepts(k)))
      for (const [k, v] of have) if (!this.configs.accepts(k)) want.set(k, v)
      const same = want.size === have.size && [...want].every(([k, v]) => have.get(k) === v)
      if (same) continue
      await this.target.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: remote, configEntries: [...want].map(([name, value]) => ({ name, value })) }],
      })
      changed++
      this.log.info({ remote, configs: Object.fromEntries(want) }, 'synced remote topic configs')
    }
    return changed
  }

  /** Explicitly set (non-default) configs of each topic. */
  private async topicConfigs(admin: Admin, topics: string[]): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>()
    if (topics.length === 0) return out
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    })
    for (const r of res.resources) {
      const m = new Map<string, string>()
      for (const e of r.configEntries) {
        // configSource 1 = TOPIC_CONFIG (an override set on the topic)
        if (e.isDefault || e.readOnly || e.isSensitive || e.configValue === null) continue
        const src = (e as { configSource?: number }).configSource
        if (src !== undefined && src !== 1) continue
        m.set(e.configName, e.configValue)
      }
      out.set(r.resourceName, m)
    }
    return out
  }
}
