import assert from 'node:assert/strict'
import { builtinPlugins } from '../../../connectors/builtin'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { PoisonSinkConnector, registerPlugins } from '../fixtures/test-connectors'
import { consumeAll, rest, withStandaloneWorker } from '../connect-helpers'

describe('connectors/runtime: errors.tolerance and the dead-letter queue', () => {
  const env = withStandaloneWorker({ plugins: () => { const plugins = builtinPlugins(); registerPlugins(plugins); return plugins } })

  const values = Array.from({ length: 20 }, (_, i) => ([4, 9, 15].includes(i) ? `poison-${i}` : `good-${i}`))

  async function produce(topic: string): Promise<void> {
    const admin = env.cluster.kafka().admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    await admin.disconnect()
    const producer = env.cluster.kafka().producer()
    await producer.connect()
    await producer.send({ topic, messages: values.map((v, i) => ({ key: `k${i}`, value: v, headers: { origin: 'test' } })) })
    await producer.disconnect()
  }

  it('errors.tolerance=all routes failed records to the DLQ with __connect.errors.* headers and delivers the rest', async () => {
    const topic = uniqueName('dlq-in')
    const dlq = uniqueName('dlq')
    const name = uniqueName('poison')
    await produce(topic)
    const r = await rest(env.worker.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'test.PoisonSinkConnector', topics: topic,
        'errors.tolerance': 'all', 'errors.log.enable': 'true',
        'errors.deadletterqueue.topic.name': dlq, 'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    await waitFor('good records delivered', () => (PoisonSinkConnector.received.get(name)?.length ?? 0) >= 17)
    assert.deepEqual(PoisonSinkConnector.received.get(name), values.filter((v) => v.startsWith('good')))

    const dead = await consumeAll(env.cluster, dlq, 3)
    assert.deepEqual(dead.map((m) => m.value?.toString()), ['poison-4', 'poison-9', 'poison-15'])
    assert.deepEqual(dead.map((m) => m.key?.toString()), ['k4', 'k9', 'k15'])
    const h = (m: (typeof dead)[number], k: string) => (m.headers[k] as Buffer | undefined)?.toString()
    const first = dead[0]
    assert.equal(h(first, 'origin'), 'test')
    assert.equal(h(first, '__connect.errors.topic'), topic)
    assert.equal(h(first, '__connect.errors.partition'), '0')
    assert.equal(h(first, '__connect.errors.offset'), '4')
    assert.equal(h(dead[2], '__connect.errors.offset'), '15')
    assert.equal(h(first, '__connect.errors.connector.name'), name)
    assert.equal(h(first, '__connect.errors.task.id'), '0')
    assert.equal(h(first, '__connect.errors.stage'), 'TASK_PUT')
    assert.equal(h(first, '__connect.errors.class.name'), 'PoisonSinkTask')
    assert.equal(h(first, '__connect.errors.exception.class.name'), 'TypeError')
    assert.equal(h(first, '__connect.errors.exception.message'), 'cannot write poison record at offset 4')
    assert.match(h(first, '__connect.errors.exception.stacktrace') ?? '', /^TypeError: cannot write poison record at offset 4\n\s+at PoisonSinkTask\.put/)

    // The group committed past everything (bad records included): nothing is redelivered.
    await waitFor('offsets committed', async () => (await rest(env.worker.url, 'GET', `/connectors/${name}/offsets`)).body.offsets[0]?.offset.kafka_offset === 20)
    const metrics = (await rest(env.worker.url, 'GET', '/metrics')).body as string
    assert.match(metrics, new RegExp(`connect_deadletterqueue_produce_requests_total\\{connector="${name}",task="0"\\} 3`))
    assert.match(metrics, new RegExp(`connect_task_records_skipped_total\\{connector="${name}",task="0"\\} 3`))
  })

  it('errors.tolerance=none fails the task at the first bad record and commits nothing past it', async () => {
    const topic = uniqueName('strict-in')
    const name = uniqueName('strict')
    await produce(topic)
    const r = await rest(env.worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'test.PoisonSinkConnector', topics: topic } })
    assert.equal(r.status, 201)
    const task = await waitFor('FAILED', async () => {
      const t = (await rest(env.worker.url, 'GET', `/connectors/${name}/tasks/0/status`)).body
      return t.state === 'FAILED' ? t : undefined
    })
    assert.match(task.trace, /Tolerance exceeded in error handler: TASK_PUT failed in PoisonSinkTask/)
    assert.match(task.trace, /Caused by: TypeError: cannot write poison record at offset 4/)
    const committed = (await rest(env.worker.url, 'GET', `/connectors/${name}/offsets`)).body.offsets as Array<{ offset: { kafka_offset: number } }>
    assert.ok(committed.every((o) => o.offset.kafka_offset <= 4), JSON.stringify(committed))
  })
})
