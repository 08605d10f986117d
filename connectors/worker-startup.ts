// What standalone and distributed start-up share: binding the REST server first (the worker id is
// the advertised REST address, as in Connect), starting the herder behind it, and creating the
// connectors named on the command line. A failure at any step closes what was opened, so a bad
// connector file ends the process with its message instead of leaving a half-started worker.
import * as os from 'node:os'
import { ConnectorConfigError, PluginNotFoundError } from './errors'
import { RestServer, listenAddress } from './rest/rest-server'
import type { Herder } from './runtime/herder'
import type { WorkerConfig } from './runtime/worker-config'

export interface BoundRest {
  server: RestServer
  /** Where the server listens, e.g. http://127.0.0.1:8083 */
  url: string
  /** The host name and port other workers and users reach it on. */
  advertisedHost: string
  port: number
  /** http://<advertised host>:<port> */
  advertisedUrl: string
}

export async function bindRest(config: WorkerConfig): Promise<BoundRest> {
  const server = new RestServer()
  const bound = await server.start(listenAddress(config))
  const advertisedHost = config['rest.advertised.host.name'] !== '' ? config['rest.advertised.host.name'] : bound.host === '0.0.0.0' || bound.host === '::' ? os.hostname() : bound.host
  const advertisedUrl = `http://${advertisedHost.includes(':') ? `[${advertisedHost}]` : advertisedHost}:${bound.port}`
  return { server, url: bound.url, advertisedHost, port: bound.port, advertisedUrl }
}

/**
 * Starts the herder, attaches it to the REST server and creates (or updates) the given connectors.
 * Returns the stop function (REST first, then the herder); on any failure everything is stopped
 * and the error rethrown, naming the connector whose configuration was refused.
 */
export async function startHerder(rest: BoundRest, herder: Herder, connectors: Array<Record<string, string>>): Promise<() => Promise<void>> {
  try {
    await herder.start()
  } catch (e) {
    await rest.server.stop()
    throw e
  }
  rest.server.attach(herder)
  const stop = async (): Promise<void> => {
    await rest.server.stop()
    await herder.stop()
  }
  try {
    for (const props of connectors) await createFromProps(herder, props)
  } catch (e) {
    await stop()
    throw e
  }
  return stop
}

async function createFromProps(herder: Herder, props: Record<string, string>): Promise<void> {
  const name = props.name
  if (name === undefined || name === '') throw new ConnectorConfigError('A connector properties file has no name=; add name=<connector name> to it')
  try {
    await herder.putConnectorConfig(name, props, { allowReplace: true })
  } catch (e) {
    if (e instanceof ConnectorConfigError || e instanceof PluginNotFoundError) throw new ConnectorConfigError(`Failed to create connector ${name}: ${e.message}`, { cause: e })
    throw e
  }
}
