// startMirror: runs every enabled flow of an mm2.properties configuration (MM2's dedicated mode):
// per flow a MirrorSourceConnector, MirrorCheckpointConnector and MirrorHeartbeatConnector, whose
// records are produced to the flow's target cluster; source offsets are kept in
// `mm2-offsets.<target>.internal` on the target, as MM2 keeps them.
import { Kafka, type Producer } from 'kafkajs'
import { createLogger } from '../../config'
import { registerKafkajsCodecs } from '../../connectors/kafka/codecs'
import { kafkaOffsetStore, type OffsetStore } from '../../connectors/storage'
import { kafkajsConfig, parseMm2Config, type Mm2Config, type Mm2Flow } from '../config'
import { MirrorCheckpointConnector, MirrorHeartbeatConnector, MirrorSourceConnector } from '../connectors'
import { MirrorConfigError } from '../errors'
import { ConnectorRunner } from './connector-runner'
import { meteredCheckpointConnector } from './metered-checkpoint'
import { MirrorMetrics } from './mirror-metrics'

export interface StartMirrorOptions {
  /** Only drive flows whose target is one of these aliases (MM2's --clusters). */
  clusters?: string[]
}

export interface MirrorHandle {
  /** The flows this process runs, as "A->B". */
  flows: string[]
  warnings: string[]
  config: Mm2Config
  /** mm2_replication_latency_ms, mm2_record_count, mm2_byte_count by {source,target,topic,partition}. */
  metrics: MirrorMetrics
  stop(): Promise<void>
}

export async function startMirror(mm2Properties: Record<string, string> | string, opts: StartMirrorOptions = {}): Promise<MirrorHandle> {
  registerKafkajsCodecs()
  const log = createLogger('mirror')
  const config = parseMm2Config(mm2Properties)
  for (const w of config.warnings) log.warn(w)
  const unknown = (opts.clusters ?? []).filter((c) => !config.clusters.some((x) => x.alias === c))
  if (unknown.length > 0) throw new MirrorConfigError(`--clusters names ${unknown.join(', ')}, not in clusters (${config.clusters.map((c) => c.alias).join(', ')})`)
  // Like MM2, every pair of driven clusters gets a heartbeat connector, disabled flows included:
  // heartbeats written to A are what an enabled A->B flow replicates to show B its upstream.
  const pairs = config.flows.filter((f) => opts.clusters === undefined || opts.clusters.includes(f.target))
  const flows = pairs.filter((f) => f.enabled)

  const targets = new Map<string, { makeProducer: () => Producer; offsets: OffsetStore }>()
  const runners: ConnectorRunner[] = []
  const metrics = new MirrorMetrics()
  const stopAll = async (): Promise<void> => {
    for (const r of runners.reverse()) await r.stop().catch((err: unknown) => log.error({ err }, 'stopping a connector failed'))
    for (const t of targets.values()) {
      await t.offsets.stop().catch(() => undefined)
    }
  }
  try {
    for (const flow of pairs) {
      let t = targets.get(flow.target)
      if (t === undefined) {
        const cluster = config.clusters.find((c) => c.alias === flow.target)!
        const kafka = new Kafka(kafkajsConfig(cluster.clientProps, `mm2-${flow.target}`))
        const offsets = kafkaOffsetStore({
          kafka, topic: `mm2-offsets.${flow.target}.internal`,
          partitions: config.worker['offset.storage.partitions'], replicationFactor: config.worker['offset.storage.replication.factor'],
        })
        await offsets.start()
        // A Kafka instance per producer: a fresh one also starts with fresh metadata.
        const makeProducer = (): Producer => new Kafka(kafkajsConfig(cluster.clientProps, `mm2-${flow.target}`))
          .producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
        t = { makeProducer, offsets }
        targets.set(flow.target, t)
      }
      for (const runner of flowRunners(flow, t, config.worker['offset.flush.interval.ms'], metrics)) {
        runners.push(runner)
        await runner.start()
      }
      if (flow.enabled) log.info({ flow: `${flow.source}->${flow.target}` }, 'replication flow started')
    }
  } catch (err) {
    await stopAll()
    throw err
  }
  let stopping: Promise<void> | undefined
  return {
    flows: flows.map((f) => `${f.source}->${f.target}`),
    warnings: config.warnings,
    config,
    metrics,
    stop: () => (stopping ??= stopAll()),
  }
}

function flowRunners(flow: Mm2Flow, t: { makeProducer: () => Producer; offsets: OffsetStore }, flushIntervalMs: number, metrics: MirrorMetrics): ConnectorRunner[] {
  const name = (cls: string): string => `${flow.source}->${flow.target}.${cls}`
  const common = { props: flow.connectorProps, tasksMax: flow.config['tasks.max'], makeProducer: t.makeProducer, offsets: t.offsets, flushIntervalMs }
  const heartbeats = new ConnectorRunner({ ...common, name: name('MirrorHeartbeatConnector'), connector: new MirrorHeartbeatConnector(), tasksMax: 1 })
  if (!flow.enabled) return [heartbeats]
  return [
    heartbeats,
    new ConnectorRunner({ ...common, name: name('MirrorSourceConnector'), connector: new MirrorSourceConnector(), metrics: { metrics, source: flow.source, target: flow.target } }),
    new ConnectorRunner({ ...common, name: name('MirrorCheckpointConnector'), connector: new (meteredCheckpointConnector(metrics))() }),
  ]
}
