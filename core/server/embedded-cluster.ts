// startCluster: one process, N logical brokers sharing one log directory. This is what
// `godwit broker` runs and what tests and the connector runtime use as a real Kafka.
import * as fs from 'node:fs'
import { ConfigError, createLogger, type RawConfig } from '../../config'
import { LogManager } from '../log/log-manager'
import { BrokerConfigDef, dataDirOf, firstNodeId, topicDefaults, type BrokerConfig } from './broker-config'
import { ClusterState, endpointFor, type NodeInfo } from './cluster-state'
import { advertisableHost, formatHostPort, listenersFor } from './listeners'
import { loadOrCreateClusterId } from './meta-properties'
import { NodeListener } from './node-listener'
import { ProducerIdAllocator } from './producer-ids'
import type { Cluster } from './request-context'
import { createGroupCoordinator, startGroupCoordinator } from './group-wiring'
import { createAuthorizer } from './acls/authorizer'
import { resolveListenerSecurity, type ListenerSecurity } from './security/listener-security'
import { splitListenerOverrides, type ListenerOverrides } from './security/security-config'
import { ScramCredentialStore } from './security/scram-store'

export interface StartClusterOptions {
  /** Log directory (log.dirs). Optional when config names log.dirs or log.dir. */
  dataDir?: string
  nodes?: number
  /** Bind host when `config` has no listeners (default 127.0.0.1). */
  host?: string
  /** One port per node (0 = ephemeral); default all ephemeral. */
  ports?: number[]
  /** Broker properties by Kafka's names (server.properties), listener.name.* keys included. */
  config?: Record<string, string>
}

/** One listener name of the cluster: its protocol and the advertised address of every node. */
export interface ClusterListener {
  name: string
  protocol: ListenerSecurity['protocol']
  bootstrapServers: string[]
}

export interface EmbeddedCluster {
  /** The first listener's "host:port" of every node. */
  bootstrapServers: string[]
  /** Every listener name, in the order of the listeners key. */
  listeners: ClusterListener[]
  nodes: NodeInfo[]
  clusterId: string
  /** The shared state handlers see (LogManager, GroupCoordinator, leadership). */
  state: Cluster
  stop(): Promise<void>
}

/** Builds the raw broker config from startCluster options (options win over `config`). */
export function clusterRawConfig(opts: StartClusterOptions): RawConfig {
  const raw: RawConfig = { ...(opts.config ?? {}) }
  if (opts.dataDir !== undefined) raw['log.dirs'] = opts.dataDir
  if (opts.nodes !== undefined) raw['godwit.nodes'] = opts.nodes
  else if (opts.ports !== undefined) raw['godwit.nodes'] = opts.ports.length
  const host = opts.host ?? '127.0.0.1'
  if (opts.ports !== undefined) raw['listeners'] = opts.ports.map((p) => `PLAINTEXT://${formatHostPort(host, p)}`)
  else if (raw['listeners'] === undefined) raw['listeners'] = `PLAINTEXT://${formatHostPort(host, 0)}`
  return raw
}

export async function startCluster(opts: StartClusterOptions): Promise<EmbeddedCluster> {
  const { base, overrides } = splitListenerOverrides(clusterRawConfig(opts))
  return startFromConfig(BrokerConfigDef.parse(base), overrides)
}

/** `overrides`: the listener.name.<listener>.* settings (security/security-config.ts splitListenerOverrides). */
export async function startFromConfig(config: BrokerConfig, overrides: ListenerOverrides = {}): Promise<EmbeddedCluster> {
  const count = config['godwit.nodes']
  const baseId = firstNodeId(config)
  const binds = listenersFor(config.listeners, count, 'listeners')
  const adverts = config['advertised.listeners'] === undefined ? undefined : listenersFor(config['advertised.listeners'], count, 'advertised.listeners')
  // Every listener's protocol, keystore and users are checked before anything is opened.
  const security = binds.map((b) => resolveListenerSecurity(config, overrides, b.name))
  for (const a of adverts ?? []) {
    if (!binds.some((b) => b.name === a.name)) throw new ConfigError(`advertised.listeners names ${a.name}, which is not in listeners (${config.listeners.join(',')})`)
  }
  for (const name of Object.keys(overrides)) {
    if (!binds.some((b) => b.name === name)) throw new ConfigError(`listener.name.${name.toLowerCase()}.* is set but no listener is named ${name} (listeners: ${config.listeners.join(',')})`)
  }
  const dataDir = dataDirOf(config)
  fs.mkdirSync(dataDir, { recursive: true })
  // Opening the log takes the data directory's lock, so nothing in it (meta.properties included)
  // is touched while another broker holds it.
  const logs = await LogManager.open({ dataDir, defaults: topicDefaults(config) })
  let clusterId: string
  let authorizer: ReturnType<typeof createAuthorizer>
  try {
    clusterId = loadOrCreateClusterId(dataDir, config['godwit.cluster.id'], baseId)
    authorizer = createAuthorizer(config, dataDir)
  } catch (err) {
    await logs.close()
    throw err
  }
  const log = createLogger('server', { clusterId })

  const nodes: NodeInfo[] = []
  const groups = createGroupCoordinator(logs, config, (groupId) => state.offsetsPartitionFor(groupId))
  const state: Cluster = new ClusterState(clusterId, nodes, logs, groups, config, new ProducerIdAllocator(dataDir))
  state.authorizer = authorizer
  try {
    state.scramCredentials = ScramCredentialStore.load(dataDir)
  } catch (err) {
    await logs.close()
    throw new ConfigError(`cannot read the SCRAM credentials in ${dataDir}: ${(err as Error).message}`, { cause: err })
  }
  const listeners: NodeListener[] = []
  try {
    await startGroupCoordinator(state)
    for (let i = 0; i < count; i++) {
      const nodeId = baseId + i
      const endpoints: { name: string; host: string; port: number }[] = []
      for (const [j, bind] of binds.entries()) {
        const listener = new NodeListener(nodeId, () => state, log.child({ nodeId, listener: bind.name }), security[j])
        listeners.push(listener)
        await listener.listen(bind.endpoints[i].host, bind.endpoints[i].port)
        const advert = adverts?.find((a) => a.name === bind.name)?.endpoints[i]
        endpoints.push({
          name: bind.name,
          host: advert?.host ?? advertisableHost(bind.endpoints[i].host),
          port: advert === undefined || advert.port === 0 ? listener.port : advert.port,
        })
      }
      nodes.push({ nodeId, host: endpoints[0].host, port: endpoints[0].port, ...(endpoints.length > 1 ? { listeners: endpoints } : {}) })
    }
    for (const l of listeners) l.open()
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()))
    groups.close()
    await logs.close()
    throw err
  }
  log.info({ nodes }, 'cluster started')

  let stopping: Promise<void> | undefined
  return {
    bootstrapServers: nodes.map((n) => formatHostPort(n.host, n.port)),
    listeners: binds.map((b, j) => ({
      name: b.name,
      protocol: security[j].protocol,
      bootstrapServers: nodes.map((n) => { const e = endpointFor(n, b.name); return formatHostPort(e.host, e.port) }),
    })),
    nodes: nodes.map((n) => ({ ...n })),
    clusterId,
    state,
    stop() {
      stopping ??= (async () => {
        // Wake long polls and answer parked JoinGroup/SyncGroup requests first, so draining the
        // connections does not wait on requests that would otherwise hang for their timeouts.
        state.beginStop()
        groups.close()
        await Promise.all(listeners.map((l) => l.close()))
        await logs.close()
        log.info('cluster stopped')
      })()
      return stopping
    },
  }
}
