// startDistributedMirror: `godwit mirror mm2.properties --distributed`. Instead of running the
// flows in this process alone, it starts a Connect distributed worker (connectors/distributed)
// whose group shares MM2's connectors and tasks with every other worker started from the same
// file: per enabled flow a MirrorSourceConnector, MirrorCheckpointConnector and
// MirrorHeartbeatConnector, with the same per-flow properties as dedicated mode.
//
// A Connect worker produces to one Kafka cluster, so a worker group serves one target cluster
// (as each of MM2's herders does); the worker's bootstrap.servers and security settings are that
// target's. Source offsets
// live in Redis, fenced per task lease, so a task moved off a dead worker resumes from its last
// committed offsets.
import { ConfigError, createLogger, parseProperties, propertiesToObject } from '../../config'
import { builtinPlugins } from '../../connectors/builtin'
import { DistributedCoordinationConfigDef, startDistributed, type RunningDistributed } from '../../connectors/distributed'
import { ConnectorExistsError } from '../../connectors/errors'
import { WorkerConfigDef } from '../../connectors/runtime/worker-config'
import { parseMm2Config, type Mm2Config, type Mm2Flow } from '../config'
import { MirrorCheckpointConnector, MirrorHeartbeatConnector, MirrorSourceConnector, registerPlugins } from '../connectors'
import { MirrorConfigError } from '../errors'
import { meteredCheckpointConnector } from './metered-checkpoint'
import { meteredSourceConnector } from './metered-source'
import { MirrorMetrics } from './mirror-metrics'

export interface DistributedMirrorOptions {
  /** Only drive flows whose target is one of these aliases (MM2's --clusters). */
  clusters?: string[]
  /** Overrides the file's redis.url (the --redis-url flag). */
  redisUrl?: string
  /** Overrides the file's group.id (the --group-id flag). */
  groupId?: string
}

export interface DistributedMirrorHandle {
  /** The flows this worker group runs, as "A->B". */
  flows: string[]
  /** The target cluster alias every flow of this group produces to. */
  target: string
  /** The Connect group id the workers share in Redis. */
  groupId: string
  /** Base URL of this worker's REST API. */
  url: string
  /** Connector names submitted for the flows. */
  connectors: string[]
  warnings: string[]
  config: Mm2Config
  /** mm2_* metrics of the source tasks this worker runs; also served on the worker's GET /metrics. */
  metrics: MirrorMetrics
  distributed: RunningDistributed
  stop(): Promise<void>
}

export const DEFAULT_MIRROR_GROUP_ID = 'godwit-mm2'

/** Worker keys taken from the file's top level; bootstrap.servers is always the target cluster's. */
const WORKER_KEYS = Object.keys(WorkerConfigDef.keys).filter((k) => k !== 'bootstrap.servers' && !k.endsWith('.converter') && !k.endsWith('.schemas.enable'))
const COORDINATION_KEYS = Object.keys(DistributedCoordinationConfigDef.keys)
const CLIENT_PREFIXES = ['producer.', 'consumer.', 'admin.']

export interface DistributedMirrorPlan {
  config: Mm2Config
  flows: Mm2Flow[]
  target: string
  workerProps: Record<string, string>
  connectors: Array<Record<string, string>>
}

const isSecurityKey = (k: string): boolean => k === 'security.protocol' || k.startsWith('ssl.') || k.startsWith('sasl.')

/**
 * The target cluster's client settings as Connect worker properties, as MM2 builds its workers'
 * configuration: each setting at the top level (the worker's own clients) and, unless the file
 * sets it with that prefix, as producer.*, consumer.* and admin.* too, since Connect's task
 * clients do not inherit the top-level security settings.
 */
function targetWorkerClientProps(clientProps: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { 'bootstrap.servers': clientProps['bootstrap.servers'] ?? '' }
  for (const [k, v] of Object.entries(clientProps)) {
    if (isSecurityKey(k) || CLIENT_PREFIXES.some((p) => k.startsWith(p))) out[k] = v
  }
  for (const [k, v] of Object.entries(out)) {
    if (CLIENT_PREFIXES.some((p) => k.startsWith(p))) continue
    for (const p of CLIENT_PREFIXES) out[`${p}${k}`] ??= v
  }
  return out
}

/** Everything startDistributedMirror will start, derived from the file; throws on a bad file or options. */
export function planDistributedMirror(mm2Properties: Record<string, string> | string, opts: DistributedMirrorOptions = {}): DistributedMirrorPlan {
  const raw = typeof mm2Properties === 'string' ? propertiesToObject(parseProperties(mm2Properties)) : { ...mm2Properties }
  // Coordination keys belong to the worker, not to MM2: kept out of the MM2 parse so they do not warn.
  const mm2Raw: Record<string, string> = {}
  const coordination: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (COORDINATION_KEYS.includes(k)) coordination[k] = v
    else mm2Raw[k] = v
  }
  const config = parseMm2Config(mm2Raw)
  const unknown = (opts.clusters ?? []).filter((c) => !config.clusters.some((x) => x.alias === c))
  if (unknown.length > 0) throw new MirrorConfigError(`--clusters names ${unknown.join(', ')}, not in clusters (${config.clusters.map((c) => c.alias).join(', ')})`)
  const flows = config.flows.filter((f) => f.enabled && (opts.clusters === undefined || opts.clusters.includes(f.target)))

  if (opts.redisUrl !== undefined) coordination['redis.url'] = opts.redisUrl
  if (opts.groupId !== undefined) coordination['group.id'] = opts.groupId
  if (coordination['redis.url'] === undefined || coordination['redis.url'].trim() === '') {
    throw new ConfigError('--distributed needs Redis: set redis.url in the mm2.properties file (e.g. "redis.url = redis://localhost:6379") or pass --redis-url URL')
  }
  coordination['group.id'] ??= DEFAULT_MIRROR_GROUP_ID
  if (flows.length === 0) {
    throw new MirrorConfigError(`--distributed has no replication flow to run: enable one (e.g. "A->B.enabled = true")${opts.clusters === undefined ? '' : ` whose target is one of --clusters ${opts.clusters.join(',')}`}`)
  }
  const targets = [...new Set(flows.map((f) => f.target))]
  if (targets.length > 1) {
    throw new MirrorConfigError(`--distributed runs the flows into one target cluster per worker group, but the enabled flows target ${targets.join(', ')}: ` +
      `start one group per target, e.g. "--clusters ${targets[0]} --group-id ${coordination['group.id']}-${targets[0]}"`)
  }
  const target = config.clusters.find((c) => c.alias === targets[0])!
  const workerProps: Record<string, string> = { ...coordination, ...targetWorkerClientProps(target.clientProps) }
  for (const k of WORKER_KEYS) if (raw[k] !== undefined) workerProps[k] = raw[k]
  workerProps['client.id'] ??= `mm2-${target.alias}`

  const connectors: Array<Record<string, string>> = []
  for (const flow of flows) {
    const name = (cls: string): string => `${flow.source}->${flow.target}.${cls}`
    const tasksMax = String(flow.config['tasks.max'])
    connectors.push(
      { ...flow.connectorProps, name: name('MirrorSourceConnector'), 'connector.class': MirrorSourceConnector.CLASS_NAME, 'tasks.max': tasksMax },
      { ...flow.connectorProps, name: name('MirrorCheckpointConnector'), 'connector.class': MirrorCheckpointConnector.CLASS_NAME, 'tasks.max': tasksMax },
      { ...flow.connectorProps, name: name('MirrorHeartbeatConnector'), 'connector.class': MirrorHeartbeatConnector.CLASS_NAME, 'tasks.max': '1' },
    )
  }
  return { config, flows, target: target.alias, workerProps, connectors }
}

export async function startDistributedMirror(mm2Properties: Record<string, string> | string, opts: DistributedMirrorOptions = {}): Promise<DistributedMirrorHandle> {
  const log = createLogger('mirror.distributed')
  const plan = planDistributedMirror(mm2Properties, opts)
  for (const w of plan.config.warnings) log.warn(w)
  const plugins = builtinPlugins()
  registerPlugins(plugins)
  const metrics = new MirrorMetrics()
  plugins.register(MirrorSourceConnector.CLASS_NAME, meteredSourceConnector(metrics))
  plugins.register(MirrorCheckpointConnector.CLASS_NAME, meteredCheckpointConnector(metrics))
  const distributed = await startDistributed({ workerProps: plan.workerProps, plugins })
  // GET /metrics serves the Connect worker's registry: the mm2_* metrics join it.
  const registry = distributed.runner.connectorWorker.metrics.registry
  for (const { name } of metrics.registry.getMetricsAsArray()) registry.registerMetric(metrics.registry.getSingleMetric(name)!)
  try {
    for (const props of plan.connectors) await submit(distributed, props)
  } catch (err) {
    await distributed.stop().catch(() => undefined)
    throw err
  }
  const groupId = distributed.coordination['group.id']
  log.info({ group: groupId, target: plan.target, url: distributed.url }, 'distributed mirror worker started')
  let stopping: Promise<void> | undefined
  return {
    flows: plan.flows.map((f) => `${f.source}->${f.target}`),
    target: plan.target,
    groupId,
    url: distributed.url,
    connectors: plan.connectors.map((c) => c.name),
    warnings: plan.config.warnings,
    config: plan.config,
    metrics,
    distributed,
    stop: () => (stopping ??= distributed.stop()),
  }
}

/**
 * Submits a connector's config unless the group already holds exactly this one, so that a worker
 * (re)starting with an unchanged file restarts nothing. The leader applies commands in order; when
 * workers start together and another one's create wins, this one compares again.
 */
async function submit(d: RunningDistributed, props: Record<string, string>, attempt = 0): Promise<void> {
  const name = props.name
  const existing = (await d.herder.connectors()).includes(name) ? await d.herder.connectorConfig(name) : undefined
  if (existing !== undefined && sameProps(existing, props)) return
  try {
    await d.herder.putConnectorConfig(name, props, { allowReplace: existing !== undefined })
  } catch (e) {
    if (existing === undefined && e instanceof ConnectorExistsError && attempt === 0) return submit(d, props, 1)
    throw e
  }
}

function sameProps(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}
