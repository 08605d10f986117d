// Standalone mode assembled: worker config -> offset store (offset.storage.file.filename), plugin
// registry (built-ins + plugin.path), Worker, StandaloneHerder, REST server; then the connectors
// given as property maps. Used by `godwit connect-standalone` and by tests.
import { createLogger } from '../config'
import { builtinPlugins } from './builtin'
import { ConnectMetrics } from './runtime/metrics'
import type { PluginRegistry } from './runtime/plugins'
import { StandaloneHerder } from './runtime/standalone-herder'
import { Worker } from './runtime/worker'
import { WORKER_CLIENT_RETRY, workerClients, type WorkerClients } from './runtime/worker-clients'
import { parseWorkerConfig, type WorkerConfig } from './runtime/worker-config'
import { bindRest, startHerder } from './worker-startup'
import { fileConfigStore, fileOffsetStore, memoryOffsetStore, type ConfigStore, type OffsetStore, type StatusStore } from './storage'

export interface StandaloneOptions {
  workerProps: Record<string, string>
  connectors?: Array<Record<string, string>>
  /** Defaults to the built-in plugins (plus plugin.path modules). */
  plugins?: PluginRegistry
  configStore?: ConfigStore
  statusStore?: StatusStore
  /**
   * Overrides offset.storage.file.filename, e.g. with a Kafka-topic store on the worker's own client
   * (`clients.worker`, built from the top-level settings, so it reaches a secured cluster).
   */
  offsetStore?: (clients: WorkerClients) => OffsetStore
}

export interface StandaloneWorker {
  herder: StandaloneHerder
  worker: Worker
  config: WorkerConfig
  /** Base URL of the REST API, e.g. http://127.0.0.1:41234 */
  url: string
  stop(): Promise<void>
}

export async function startStandalone(opts: StandaloneOptions): Promise<StandaloneWorker> {
  const log = createLogger('connect-standalone')
  const { config } = parseWorkerConfig(opts.workerProps)
  const plugins = opts.plugins ?? builtinPlugins()
  plugins.loadModules(config['plugin.path'])
  const file = config['offset.storage.file.filename']
  if (file === '' && opts.offsetStore === undefined) log.warn('offset.storage.file.filename is not set: source offsets are kept in memory and lost on restart')
  // Connect's client settings: top-level for the worker's own clients, producer./consumer./admin. for the tasks' (worker-clients.ts).
  const clients = workerClients(opts.workerProps, config, WORKER_CLIENT_RETRY)
  const offsetStore = opts.offsetStore?.(clients) ?? (file === '' ? memoryOffsetStore() : fileOffsetStore(file))
  const rest = await bindRest(config)
  const worker = new Worker({ workerId: `${rest.advertisedHost}:${rest.port}`, config, plugins, offsetStore, clients, metrics: new ConnectMetrics() })
  const configFile = config['config.storage.file.filename']
  const configStore = opts.configStore ?? (configFile === '' ? undefined : fileConfigStore(configFile))
  const herder = new StandaloneHerder({ worker, configStore, statusStore: opts.statusStore })
  const stop = await startHerder(rest, herder, opts.connectors ?? [])
  log.info({ url: rest.url, connectors: (opts.connectors ?? []).map((c) => c.name) }, 'Connect standalone worker started')
  return {
    herder, worker, config, url: rest.url,
    stop,
  }
}

