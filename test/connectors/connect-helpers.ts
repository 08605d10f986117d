// Shared by the connector runtime's integration tests: an in-process standalone worker on a test
// cluster, and a tiny REST client.
import * as path from 'node:path'
import { waitFor } from '../helpers/wait-for'
import { startStandalone, type StandaloneWorker } from '../../connectors/standalone'
import type { PluginRegistry } from '../../connectors/runtime/plugins'
import { startTestCluster, type TestCluster } from '../helpers/cluster'
import { makeTempDir } from '../helpers/temp-dir'
import { spawnStandalone, type StandaloneProcess } from './integration/standalone-process'

export async function startWorker(cluster: TestCluster, dir: string, opts: { worker?: Record<string, string>; plugins?: PluginRegistry } = {}): Promise<StandaloneWorker> {
  return startStandalone({
    workerProps: {
      'bootstrap.servers': cluster.brokers,
      'offset.storage.file.filename': path.join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': '500',
      'listeners': 'http://127.0.0.1:0',
      ...opts.worker,
    },
    plugins: opts.plugins,
  })
}

export interface ClusterFixture {
  cluster: TestCluster
  /** A temp directory, removed after the suite. */
  dir: string
  /** `godwit connect-standalone` as a child process; still-running ones are killed after the suite. */
  spawn(files: string[]): Promise<StandaloneProcess>
}

/** Registers before/after hooks for a suite: a test cluster, a temp dir and child workers. */
export function withCluster(stopFirst?: () => Promise<void>): ClusterFixture {
  const children: StandaloneProcess[] = []
  let cleanup: (() => void) | undefined
  const f: ClusterFixture = {
    cluster: undefined as unknown as TestCluster,
    dir: '',
    async spawn(files) {
      const proc = await spawnStandalone(files)
      children.push(proc)
      return proc
    },
  }
  before(async () => {
    f.cluster = await startTestCluster()
    const temp = makeTempDir()
    f.dir = temp.dir
    cleanup = temp.cleanup
  })
  after(async () => {
    await stopFirst?.()
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) { c.child.kill('SIGKILL'); await c.exited }
    await f.cluster?.stop()
    cleanup?.()
  })
  return f
}

export interface WorkerFixture extends ClusterFixture {
  worker: StandaloneWorker
}

/** withCluster() plus an in-process standalone worker (stopped before the cluster). */
export function withStandaloneWorker(opts: { plugins?: () => PluginRegistry; worker?: Record<string, string> } = {}): WorkerFixture {
  const f = withCluster(async () => { await f.worker?.stop() }) as WorkerFixture
  before(async () => { f.worker = await startWorker(f.cluster, f.dir, { plugins: opts.plugins?.(), worker: opts.worker }) })
  return f
}

export interface RestReply<T = any> {
  status: number
  body: T
}

export async function rest<T = any>(base: string, method: string, p: string, body?: unknown): Promise<RestReply<T>> {
  const res = await fetch(base + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = text
  try { parsed = text === '' ? undefined : JSON.parse(text) } catch { /* not JSON (metrics) */ }
  return { status: res.status, body: parsed as T }
}

/** Every message of a topic from the beginning, until `count` arrived. */
export async function consumeAll(cluster: TestCluster, topic: string, count: number, timeoutMs = 30000): Promise<Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; partition: number; offset: number }>> {
  const { randomBytes } = await import('node:crypto')
  // Subscribing before the topic exists leaves kafkajs without it until a metadata refresh.
  const admin = cluster.kafka().admin()
  await admin.connect()
  try {
    await waitFor(`topic ${topic} to exist with leaders`, async () => {
      if (!(await admin.listTopics()).includes(topic)) return false
      const md = await admin.fetchTopicMetadata({ topics: [topic] })
      return md.topics[0].partitions.length > 0 && md.topics[0].partitions.every((p) => p.leader >= 0)
    }, { timeoutMs })
  } finally {
    await admin.disconnect()
  }
  const consumer = cluster.kafka().consumer({ groupId: `check-${randomBytes(5).toString('hex')}`, maxWaitTimeInMs: 100 })
  await consumer.connect()
  const out: Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; partition: number; offset: number }> = []
  try {
    // What the consumer went through, reported if the records do not arrive (which side failed).
    const seen: string[] = []
    consumer.on(consumer.events.GROUP_JOIN, (e) => { seen.push(`joined ${e.payload.groupId}, assigned ${JSON.stringify(e.payload.memberAssignment)}`) })
    consumer.on(consumer.events.CRASH, (e) => { seen.push(`crashed (restart ${e.payload.restart}): ${e.payload.error.message}`) })
    await consumer.subscribe({ topic, fromBeginning: true })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void topicOffsets(cluster, topic).then((offsets) => reject(new Error(`only ${out.length} of ${count} records arrived on ${topic} (partition offsets ${offsets}; consumer: ${seen.join('; ') || 'never joined'})`)))
      }, timeoutMs)
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) out.push({ key: m.key, value: m.value, headers: m.headers ?? {}, partition: batch.partition, offset: Number(m.offset) })
          if (out.length >= count) { clearTimeout(timer); resolve() }
        },
      })
    })
  } finally {
    await consumer.disconnect()
  }
  return out
}

async function topicOffsets(cluster: TestCluster, topic: string): Promise<string> {
  const admin = cluster.kafka().admin()
  try {
    await admin.connect()
    return JSON.stringify(await admin.fetchTopicOffsets(topic))
  } catch (e) {
    return `unknown: ${(e as Error).message}`
  } finally {
    await admin.disconnect()
  }
}
