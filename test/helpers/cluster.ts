// startTestCluster: a real embedded Godwit cluster on ephemeral ports in a temp dir, plus a
// kafkajs client factory pointed at it. Every integration test that needs Kafka uses this.
import { Kafka, logLevel } from 'kafkajs'
import { startCluster, type EmbeddedCluster } from '../../core/server/embedded-cluster'
import { makeTempDir } from './temp-dir'

export interface TestCluster {
  /** "host:port" of every node. */
  bootstrapServers: string[]
  /** Comma-separated bootstrap list, as kcat's -b wants it. */
  brokers: string
  /** A kafkajs client for this cluster (logLevel NOTHING, short retries, 10 s connection timeout). */
  kafka(clientId?: string): Kafka
  /** The embedded cluster itself (node list, shared state) for white-box assertions. */
  cluster: EmbeddedCluster
  dataDir: string
  stop(): Promise<void>
}

export interface TestClusterOptions {
  nodes?: number
  /** Broker properties (Kafka names), e.g. { 'auto.create.topics.enable': 'false' }. */
  config?: Record<string, string>
  /** Reuse a data dir (e.g. to restart on the same data); it is then not removed on stop. */
  dataDir?: string
}

/** Test-friendly defaults: no initial rebalance delay, so consumer groups form at once. */
const TEST_DEFAULTS: Record<string, string> = {
  'group.initial.rebalance.delay.ms': '0',
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const temp = opts.dataDir === undefined ? makeTempDir('godwit-cluster-') : undefined
  const dataDir = opts.dataDir ?? temp!.dir
  let cluster: EmbeddedCluster
  try {
    cluster = await startCluster({ dataDir, nodes: opts.nodes ?? 1, config: { ...TEST_DEFAULTS, ...(opts.config ?? {}) } })
  } catch (err) {
    temp?.cleanup()
    throw err
  }
  const clients: Kafka[] = []
  return {
    bootstrapServers: cluster.bootstrapServers,
    brokers: cluster.bootstrapServers.join(','),
    cluster,
    dataDir,
    kafka(clientId = 'godwit-test') {
      const k = new Kafka({
        clientId,
        brokers: cluster.bootstrapServers,
        logLevel: logLevel.NOTHING,
        // kafkajs gives a connection 1 s by default; a loaded 2-core CI box can take longer.
        connectionTimeout: 10000,
        retry: { initialRetryTime: 50, retries: 8 },
      })
      clients.push(k)
      return k
    },
    async stop() {
      await cluster.stop()
      temp?.cleanup()
    },
  }
}
