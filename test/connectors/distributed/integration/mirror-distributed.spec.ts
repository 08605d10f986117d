import { strict as assert } from 'node:assert'
import { builtinPlugins } from '../../../../connectors/builtin'
import { startDistributed, type RunningDistributed } from '../../../../connectors/distributed/distributed-mode'
import { registerPlugins as registerMirrorPlugins } from '../../../../mirror/connectors'
import { startTestCluster, type TestCluster } from '../../../helpers/cluster'
import { startRedis, type TestRedis } from '../../../helpers/redis'
import { uniqueName } from '../../../helpers/unique'
import { waitFor } from '../../../helpers/wait-for'
import { rest } from '../../connect-helpers'

// What `godwit mirror --distributed` rests on: MM2's MirrorSourceConnector run by a group of
// distributed workers, its tasks spread over them and moved when one dies.
describe('connectors/distributed/integration: MirrorSourceConnector on 3 distributed workers, one crashing', function () {
  this.timeout(120000)
  let a: TestCluster
  let b: TestCluster
  let redis: TestRedis
  const workers: RunningDistributed[] = []

  before(async () => {
    ;[a, b] = await Promise.all([startTestCluster(), startTestCluster()])
    redis = await startRedis()
  })
  after(async () => {
    for (const w of workers) await w.stop().catch(() => undefined)
    await a?.stop()
    await b?.stop()
    await redis?.stop()
  })

  it('replicates every record A -> B while the worker running a task crashes mid-stream', async () => {
    const topic = uniqueName('orders')
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] })
    await admin.disconnect()
    const producer = a.kafka().producer()
    await producer.connect()
    let sent = 0
    const produce = async (n: number): Promise<void> => {
      const messages = Array.from({ length: n }, (_, i) => ({ key: `k${(sent + i) % 7}`, value: `order-${sent + i}` }))
      sent += n
      for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500) })
    }
    await produce(1500)

    const group = uniqueName('mm2')
    for (let i = 0; i < 3; i++) {
      const plugins = builtinPlugins()
      registerMirrorPlugins(plugins)
      workers.push(await startDistributed({
        plugins,
        workerProps: {
          'bootstrap.servers': b.brokers, 'group.id': group, 'redis.url': redis.url, 'listeners': 'http://127.0.0.1:0',
          'offset.flush.interval.ms': '200', 'heartbeat.interval.ms': '100', 'session.timeout.ms': '1500',
        },
      }))
    }
    const created = await rest(workers[1]!.url, 'POST', '/connectors', {
      name: 'A->B.MirrorSourceConnector',
      config: {
        'connector.class': 'MirrorSourceConnector', 'tasks.max': '3',
        'source.cluster.alias': 'A', 'target.cluster.alias': 'B',
        'source.cluster.bootstrap.servers': a.brokers, 'target.cluster.bootstrap.servers': b.brokers,
        'topics': topic, 'replication.factor': '1', 'offset-syncs.topic.replication.factor': '1',
        'refresh.topics.interval.seconds': '1', 'sync.topic.configs.enabled': 'false',
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const name = encodeURIComponent('A->B.MirrorSourceConnector')
    const status = await waitFor('3 tasks RUNNING', async () => {
      const s = (await rest(workers[0]!.url, 'GET', `/connectors/${name}/status`)).body
      return s?.tasks?.length === 3 && s.tasks.every((t: { state: string }) => t.state === 'RUNNING') ? s : undefined
    }, { timeoutMs: 30000 })
    const remote = `A.${topic}`
    const bAdmin = b.kafka().admin()
    await bAdmin.connect()
    const copied = async (): Promise<number> => {
      try {
        return (await bAdmin.fetchTopicOffsets(remote)).reduce((n, p) => n + Number(p.high), 0)
      } catch { return 0 }
    }
    await waitFor('replication under way', async () => (await copied()) > 0, { timeoutMs: 30000 })

    // The worker running task 0 dies without a goodbye (no lease release, no leave).
    const victim = workers.find((w) => w.worker.id === status.tasks[0].worker_id)!
    await victim.worker.crash()
    await produce(1500)
    const survivors = workers.filter((w) => w !== victim)
    await waitFor('all tasks running on survivors', async () => {
      const s = (await rest(survivors[0]!.url, 'GET', `/connectors/${name}/status`)).body
      return s?.tasks?.length === 3 && s.tasks.every((t: { state: string; worker_id: string }) => t.state === 'RUNNING' && t.worker_id !== victim.worker.id)
    }, { timeoutMs: 30000 })
    await waitFor(`all ${sent} records on B`, async () => (await copied()) >= sent, { timeoutMs: 60000 })
    await bAdmin.disconnect()
    await producer.disconnect()

    const values = new Map<string, number>()
    const consumer = b.kafka().consumer({ groupId: uniqueName('check'), maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topic: remote, fromBeginning: true })
    const total = await copied()
    let read = 0
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const v = message.value!.toString()
          values.set(v, (values.get(v) ?? 0) + 1)
          if (++read >= total) resolve()
        },
      })
    })
    await consumer.disconnect()
    const missing = Array.from({ length: sent }, (_, i) => `order-${i}`).filter((v) => !values.has(v))
    process.stdout.write(`      ${sent} records on A, ${total} on B, ${total - values.size} duplicates, ${missing.length} missing\n`)
    assert.deepEqual(missing, [])
    assert.equal(values.size, sent)
  })
})
