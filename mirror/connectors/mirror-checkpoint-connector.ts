// MirrorCheckpointConnector: finds the consumer groups to checkpoint (groups / groups.exclude)
// every refresh.groups.interval.seconds and spreads them over tasks.
import type { Admin } from 'kafkajs'
import { createLogger, type ConfigDef, type KeySpecs, type Logger } from '../../config'
import { SourceConnector, type ConnectorProps, type SourceTaskClass } from '../../connectors/api'
import { MirrorConnectorConfigDef } from '../config'
import { groupFilter } from '../filters'
import { MirrorCheckpointTask } from './mirror-checkpoint-task'
import { intervalMs, mirrorContext, type MirrorContext } from './mirror-props'

export class MirrorCheckpointConnector extends SourceConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector'
  private m: MirrorContext | undefined
  private props: ConnectorProps = {}
  private admin: Admin | undefined
  private groups: string[] = []
  private timer: NodeJS.Timeout | undefined
  private busy: Promise<void> = Promise.resolve()
  private log: Logger = createLogger('mirror-checkpoint-connector')

  config(): ConfigDef<KeySpecs> { return MirrorConnectorConfigDef as unknown as ConfigDef<KeySpecs> }
  taskClass(): SourceTaskClass { return MirrorCheckpointTask }

  async start(props: ConnectorProps): Promise<void> {
    this.props = props
    const m = mirrorContext(props)
    this.m = m
    this.log = createLogger('mirror-checkpoint-connector', { connector: `${m.source}->${m.target}.MirrorCheckpointConnector` })
    if (!m.config.enabled || !m.config['emit.checkpoints.enabled']) return
    this.admin = m.sourceKafka('checkpoint-connector').admin()
    await this.admin.connect()
    this.groups = await this.findGroups()
    const every = intervalMs(m.config['refresh.groups.interval.seconds'])
    if (m.config['refresh.groups.enabled'] && every !== undefined) {
      this.timer = setInterval(() => {
        this.busy = this.busy.then(async () => {
          const groups = await this.findGroups()
          if (groups.join(',') === this.groups.join(',')) return
          this.groups = groups
          this.log.info({ groups }, 'consumer groups changed; reassigning tasks')
          this.context.requestTaskReconfiguration()
        }).catch((err: unknown) => { this.log.warn({ err }, 'group refresh failed; will retry') })
      }, every)
    }
  }

  private async findGroups(): Promise<string[]> {
    const filter = groupFilter(this.m!.config)
    const { groups } = await this.admin!.listGroups()
    return groups.filter((g) => (g.protocolType === 'consumer' || g.protocolType === '') && filter.accepts(g.groupId)).map((g) => g.groupId).sort()
  }

  taskConfigs(maxTasks: number): ConnectorProps[] {
    if (this.m === undefined || this.groups.length === 0) return []
    const n = Math.max(1, Math.min(maxTasks, this.groups.length))
    const split: string[][] = Array.from({ length: n }, () => [])
    this.groups.forEach((g, i) => split[i % n].push(g))
    return split.map((gs) => ({ ...this.props, 'task.assigned.groups': gs.join(',') }))
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    await this.busy
    await this.admin?.disconnect()
  }
}
