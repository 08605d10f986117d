// Distributed mode assembled: worker properties (Connect's names plus the coordination keys) ->
// REST server, kafkajs client, plugin registry, Redis offset store, RuntimeWorkRunner,
// DistributedWorker, DistributedHerder. Used by `godwit connect-distributed`, by
// `godwit mirror --distributed`, and by tests.
import { ConfigError, closestName, createLogger } from '../../config'
import { builtinPlugins } from '../builtin'
import { registerKafkajsCodecs } from '../kafka/codecs'
import { ConnectMetrics } from '../runtime/metrics'
import type { PluginRegistry } from '../runtime/plugins'
import { workerClients } from '../runtime/worker-clients'
import { WorkerConfigDef, parseWorkerConfig, type WorkerConfig } from '../runtime/worker-config'
import { bindRest, startHerder } from '../worker-startup'
import { DistributedCoordinationConfigDef, type DistributedCoordinationConfig } from './config'
import { DistributedHerder } from './distributed-herder'
import { registerDistributedMetrics } from './distributed-metrics'
import { DistributedWorker } from './distributed-worker'
import { RedisOffsetStore } from './fenced-offset-store'
import { RuntimeWorkRunner } from './runtime-runner'

export interface DistributedOptions {
  /** Worker properties: Connect's worker keys plus group.id, redis.url and the other coordination keys. */
  workerProps: Record<string, string>
  /** Connectors to create (or update) once the worker has joined, as property maps with name=. */
  connectors?: Array<Record<string, string>>
  /** Defaults to the built-in plugins (plus plugin.path modules). */
  plugins?: PluginRegistry
}

export interface RunningDistributed {
  herder: DistributedHerder
  worker: DistributedWorker
  runner: RuntimeWorkRunner
  config: WorkerConfig
  coordination: DistributedCoordinationConfig
  /** Base URL of this worker's REST API. */
  url: string
  stop(): Promise<void>
}

/**
 * Splits worker properties into the coordination keys and the runtime's worker keys. A misspelt
 * redis.* key (Godwit's own namespace, e.g. redis.urll) is a ConfigError naming the closest known
 * key: it would silently point the worker at the wrong Redis. Other unknown keys are Connect keys
 * Godwit does not use (topic.creation.enable, exactly.once.source.support, ...) and are logged and
 * ignored, as Connect does and as standalone mode does.
 */
export function splitWorkerProps(props: Record<string, string>): { coordination: DistributedCoordinationConfig; worker: WorkerConfig } {
  const known = [...Object.keys(DistributedCoordinationConfigDef.keys), ...Object.keys(WorkerConfigDef.keys)]
  const unknown = Object.keys(props).filter((k) => k.startsWith('redis.') && !known.includes(k))
  if (unknown.length > 0) {
    const lines = unknown.map((k) => {
      const hint = closestName(k, known)
      return `  - ${k}: unknown key${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`
    })
    throw new ConfigError(`Invalid distributed worker configuration (${unknown.length} problem${unknown.length === 1 ? '' : 's'}):\n${lines.join('\n')}`)
  }
  const mine: Record<string, string> = {}
  const rest: Record<string, string> = {}
  for (const [k, v] of Object.entries(props)) {
    if (k in DistributedCoordinationConfigDef.keys) mine[k] = v
    else rest[k] = v
  }
  return { coordination: DistributedCoordinationConfigDef.parse(mine), worker: parseWorkerConfig(rest).config }
}

export async function startDistributed(opts: DistributedOptions): Promise<RunningDistributed> {
  const log = createLogger('connect-distributed')
  const { coordination, worker: config } = splitWorkerProps(opts.workerProps)
  const plugins = opts.plugins ?? builtinPlugins()
  plugins.loadModules(config['plugin.path'])
  registerKafkajsCodecs()
  const rest = await bindRest(config)
  // As in Connect, the worker id is the advertised REST address unless worker.id says otherwise.
  const workerId = coordination['worker.id'] ?? `${rest.advertisedHost}:${rest.port}`
  const coord = { ...coordination, 'worker.id': workerId }
  // Connect's client settings: top-level for the worker's clients, producer./consumer./admin. for the tasks' (worker-clients.ts).
  const clients = workerClients(opts.workerProps, config, { retries: 5, initialRetryTime: 300 })
  const metrics = new ConnectMetrics()
  // The runner needs the worker's Redis client for its offset store: build the worker first with a late-bound runner.
  const runnerRef: { r?: RuntimeWorkRunner } = {}
  const dw = new DistributedWorker({
    config: coord,
    restUrl: rest.advertisedUrl,
    runner: {
      start: (item, snap) => runnerRef.r!.start(item, snap),
      stop: (id, reason) => runnerRef.r!.stop(id, reason),
      targetStateChanged: (id, snap) => runnerRef.r!.targetStateChanged(id, snap),
    },
  })
  const runner = new RuntimeWorkRunner({
    workerId, config, plugins, clients, metrics,
    offsetStore: new RedisOffsetStore(dw.client, dw.keys),
    snapshot: () => dw.snapshot(),
  })
  runnerRef.r = runner
  registerDistributedMetrics(metrics.registry, dw)
  dw.events.listen((e) => log.info({ event: e.kind, worker: workerId }, e.message))
  const herder = new DistributedHerder(dw, runner)
  const stop = await startHerder(rest, herder, opts.connectors ?? [])
  log.info({ url: rest.url, worker: workerId, group: coord['group.id'] }, 'Connect distributed worker started')
  return {
    herder, worker: dw, runner, config, coordination: coord, url: rest.url, stop,
  }
}
