// MirrorHeartbeatConnector: one task that writes a heartbeat to `heartbeats` on the target every
// emit.heartbeats.interval.seconds. Heartbeats replicate onward like any topic (A.heartbeats,
// B.A.heartbeats), which is how a cluster learns its upstream clusters and hop counts.
import { createLogger, type ConfigDef, type KeySpecs } from '../../config'
import { SourceConnector, SourceTask, type ConnectorProps, type SourceRecord, type SourceTaskClass } from '../../connectors/api'
import { MirrorConnectorConfigDef } from '../config'
import { encodeHeartbeatKey, encodeHeartbeatValue } from '../formats'
import { ensureTopic } from './internal-topics'
import { intervalMs, mirrorContext, type MirrorContext } from './mirror-props'

export class MirrorHeartbeatTask extends SourceTask {
  private m: MirrorContext | undefined
  private next = 0
  private stopped = false
  private wake: (() => void) | undefined

  async start(props: ConnectorProps): Promise<void> {
    const m = mirrorContext(props)
    this.m = m
    const admin = m.targetKafka('heartbeats-admin').admin()
    await admin.connect()
    try {
      // MM2 creates it with one partition and compaction (one key per source->target pair).
      await ensureTopic(admin, m.policy.heartbeatsTopic(), 1, m.config['heartbeats.topic.replication.factor'], { 'cleanup.policy': 'compact' })
    } finally {
      await admin.disconnect()
    }
    createLogger('mirror-heartbeat-task', { connector: `${m.source}->${m.target}.MirrorHeartbeatConnector` }).info('heartbeat task started')
  }

  async poll(): Promise<SourceRecord[] | null> {
    const m = this.m!
    const every = intervalMs(m.config['emit.heartbeats.interval.seconds'])
    if (every === undefined || !m.config['emit.heartbeats.enabled']) { await this.sleep(1000); return null }
    const wait = this.next - Date.now()
    if (wait > 0) { await this.sleep(Math.min(wait, 1000)); if (Date.now() < this.next) return null }
    if (this.stopped) return null
    const timestamp = Date.now()
    this.next = timestamp + every
    return [{
      topic: m.policy.heartbeatsTopic(),
      partition: 0,
      key: encodeHeartbeatKey({ sourceClusterAlias: m.source, targetClusterAlias: m.target }),
      value: encodeHeartbeatValue({ timestamp }),
      timestamp,
      sourcePartition: { sourceClusterAlias: m.source, targetClusterAlias: m.target },
      sourceOffset: { offset: 0 },
    }]
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => { const t = setTimeout(r, ms); this.wake = () => { clearTimeout(t); r() } })
  }

  /** Ends a poll that is waiting (the runner is stopping). */
  wakeup(): void { this.wake?.() }

  stop(): void { this.stopped = true; this.wake?.() }
}

export class MirrorHeartbeatConnector extends SourceConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector'
  private props: ConnectorProps = {}
  private enabled = false

  config(): ConfigDef<KeySpecs> { return MirrorConnectorConfigDef as unknown as ConfigDef<KeySpecs> }
  taskClass(): SourceTaskClass { return MirrorHeartbeatTask }

  start(props: ConnectorProps): void {
    this.props = props
    const c = mirrorContext(props).config
    this.enabled = c['emit.heartbeats.enabled'] && intervalMs(c['emit.heartbeats.interval.seconds']) !== undefined
  }

  taskConfigs(): ConnectorProps[] { return this.enabled ? [{ ...this.props }] : [] }

  stop(): void {}
}
