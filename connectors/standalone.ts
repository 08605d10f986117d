// Standalone mode assembled: worker config -> offset store (offset.storage.file.filename), plugin
// registry (built-ins + plugin.path), Worker, StandaloneHerder, REST server; then the connectors
// given as property maps. Used by `godwit connect-standalone` and by tests.
import * as os from 'node:os'
import { createLogger } from '../config'
import { builtinPlugins } from './builtin'
import { ConnectorConfigError, PluginNotFoundError } from './errors'
import { RestServer, listenAddress } from './rest/rest-server'
import { ConnectMetrics } from './runtime/metrics'
import type { PluginRegistry } from './runtime/plugins'
import { StandaloneHerder } from './runtime/standalone-herder'
import { Worker } from './runtime/worker'
import { parseWorkerConfig, type WorkerConfig } from './runtime/worker-config'
import { fileConfigStore, fileOffsetStore, memoryOffsetStore, type ConfigStore, type StatusStore } from './storage'

export interface StandaloneOptions {
  workerProps: Record<string, string>
  connectors?: Array<Record<string, string>>
  /** Defaults to the built-in plugins (plus plugin.path modules). */
  plugins?: PluginRegistry
  configStore?: ConfigStore
  statusStore?: StatusStore
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
  if (file === '') log.warn('offset.storage.file.filename is not set: source offsets are kept in memory and lost on restart')
  const offsetStore = file === '' ? memoryOffsetStore() : fileOffsetStore(file)
  // Bind first: the worker id is the REST address, as in Connect.
  const server = new RestServer()
  const bound = await server.start(listenAddress(config))
  const advertised = config['rest.advertised.host.name'] !== '' ? config['rest.advertised.host.name'] : bound.host === '0.0.0.0' || bound.host === '::' ? os.hostname() : bound.host
  const worker = new Worker({ workerId: `${advertised}:${bound.port}`, config, plugins, offsetStore, metrics: new ConnectMetrics() })
  const configFile = config['config.storage.file.filename']
  const configStore = opts.configStore ?? (configFile === '' ? undefined : fileConfigStore(configFile))
  const herder = new StandaloneHerder({ worker, configStore, statusStore: opts.statusStore })
  try {
    await herder.start()
  } catch (e) {
    await server.stop()
    throw e
  }
  server.attach(herder)
  const stop = async (): Promise<void> => {
    await server.stop()
    await herder.stop()
  }
  try {
    for (const props of opts.connectors ?? []) await createFromProps(herder, props)
  } catch (e) {
    // As Connect's standalone mode: a connector file that cannot be created stops the worker.
    await stop()
    throw e
  }
  log.info({ url: bound.url, connectors: (opts.connectors ?? []).map((c) => c.name) }, 'Connect standalone worker started')
  return {
    herder, worker, config, url: bound.url,
    stop,
  }
}

async function createFromProps(herder: StandaloneHerder, props: Record<string, string>): Promise<void> {
  const name = props.name
  if (name === undefined || name === '') throw new ConnectorConfigError('A connector properties file has no name=; add name=<connector name> to it')
  try {
    await herder.putConnectorConfig(name, props, { allowReplace: true })
  } catch (e) {
    if (e instanceof ConnectorConfigError || e instanceof PluginNotFoundError) throw new ConnectorConfigError(`Failed to create connector ${name}: ${e.message}`, { cause: e })
    throw e
  }
}
