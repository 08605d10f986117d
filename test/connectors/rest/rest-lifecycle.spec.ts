import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest, withStandaloneWorker } from '../connect-helpers'

describe('connectors/rest: the whole REST lifecycle against a real cluster', () => {
  const env = withStandaloneWorker()

  const call = (method: string, p: string, body?: unknown) => rest(env.worker.url, method, p, body)
  const state = async (name: string) => {
    const s = (await call('GET', `/connectors/${name}/status`)).body
    return [s.connector.state, ...s.tasks.map((t: { state: string }) => t.state)].join(',')
  }

  it('GET / reports version, commit and the Kafka cluster id', async () => {
    const r = await call('GET', '/')
    assert.equal(r.status, 200)
    assert.equal(typeof r.body.version, 'string')
    assert.equal(typeof r.body.commit, 'string')
    assert.equal(typeof r.body.kafka_cluster_id, 'string')
    assert.ok(r.body.kafka_cluster_id.length > 0)
  })

  it('lists plugins and validates configs in Connect\'s ConfigInfos shape', async () => {
    const plugins = (await call('GET', '/connector-plugins')).body as Array<{ class: string; type: string }>
    assert.deepEqual(plugins.find((p) => p.class === 'org.apache.kafka.connect.file.FileStreamSourceConnector')?.type, 'source')
    assert.deepEqual(plugins.find((p) => p.class === 'org.apache.kafka.connect.file.FileStreamSinkConnector')?.type, 'sink')

    const bad = await call('PUT', '/connector-plugins/FileStreamSource/config/validate', { name: 'v', 'tasks.max': '0' })
    assert.equal(bad.status, 200)
    assert.equal(bad.body.name, 'org.apache.kafka.connect.file.FileStreamSourceConnector')
    const errorsOf = (k: string) => bad.body.configs.find((c: any) => c.definition.name === k).value.errors as string[]
    assert.equal(bad.body.error_count, 3)
    assert.match(errorsOf('tasks.max')[0], /at least 1/)
    assert.match(errorsOf('file')[0], /required/)
    assert.match(errorsOf('topic')[0], /required/)
    const def = bad.body.configs.find((c: any) => c.definition.name === 'topic')
    assert.deepEqual(Object.keys(def.definition).sort(), ['default_value', 'dependents', 'display_name', 'documentation', 'group', 'importance', 'name', 'order_in_group', 'required', 'type', 'width'])
    assert.deepEqual(Object.keys(def.value).sort(), ['errors', 'name', 'recommended_values', 'value', 'visible'])
    assert.ok(bad.body.groups.includes('Common'))

    const good = await call('PUT', '/connector-plugins/org.apache.kafka.connect.file.FileStreamSinkConnector/config/validate', { 'connector.class': 'FileStreamSink', name: 'v', file: '/tmp/x', topics: 't' })
    assert.equal(good.body.error_count, 0)
    const mismatch = await call('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSource' })
    assert.equal(mismatch.status, 400)
  })

  it('refuses invalid configs with every problem listed, changing nothing', async () => {
    const r = await call('POST', '/connectors', { name: 'broken', config: { 'connector.class': 'FileStreamSink', 'tasks.max': 'two', 'errors.tolerance': 'some' } })
    assert.equal(r.status, 400)
    assert.equal(r.body.error_code, 400)
    assert.match(r.body.message, /4 error\(s\)/)
    for (const key of ['tasks.max', 'errors.tolerance', 'file', 'topics']) assert.match(r.body.message, new RegExp(`${key.replace('.', '\\.')}:`))
    const unknown = await call('POST', '/connectors', { name: 'nope', config: { 'connector.class': 'com.example.NoSuchConnector' } })
    assert.equal(unknown.status, 400)
    assert.match(unknown.body.message, /com\.example\.NoSuchConnector/)
    assert.deepEqual((await call('GET', '/connectors')).body, [])
    const missing = await call('GET', '/connectors/ghost')
    assert.equal(missing.status, 404)
    assert.deepEqual(missing.body, { error_code: 404, message: 'Connector ghost not found' })
    assert.equal((await call('GET', '/connectors/ghost/status')).status, 404)
    assert.equal((await call('PUT', '/connectors/ghost/pause')).status, 404)
    assert.equal((await call('GET', '/no/such/path')).status, 404)
  })

  it('creates, inspects, reconfigures, pauses, stops, resets offsets, restarts and deletes a connector', async function () {
    this.timeout(60000)
    const topic = uniqueName('rest')
    const file = path.join(env.dir, 'rest-in.txt')
    fs.writeFileSync(file, 'a\nb\nc\n')
    const config = { 'connector.class': 'FileStreamSource', file, topic }

    const created = await call('POST', '/connectors', { name: 'files', config })
    assert.equal(created.status, 201)
    assert.deepEqual(created.body, { name: 'files', config: { ...config, name: 'files' }, tasks: [{ connector: 'files', task: 0 }], type: 'source' })
    assert.equal((await call('POST', '/connectors', { name: 'files', config })).status, 409)

    await waitFor('RUNNING', async () => (await state('files')) === 'RUNNING,RUNNING')
    assert.deepEqual((await consumeAll(env.cluster, topic, 3)).map((m) => m.value?.toString()), ['a', 'b', 'c'])

    assert.deepEqual((await call('GET', '/connectors')).body, ['files'])
    const expanded = (await call('GET', '/connectors?expand=status&expand=info')).body
    assert.equal(expanded.files.status.connector.state, 'RUNNING')
    assert.equal(expanded.files.info.type, 'source')
    assert.deepEqual((await call('GET', '/connectors/files/config')).body, { ...config, name: 'files' })
    const tasks = (await call('GET', '/connectors/files/tasks')).body
    assert.deepEqual(tasks[0].id, { connector: 'files', task: 0 })
    assert.equal(tasks[0].config.file, file)
    const t0 = await call('GET', '/connectors/files/tasks/0/status')
    assert.deepEqual(t0.body, { id: 0, state: 'RUNNING', worker_id: env.worker.worker.workerId })
    assert.equal((await call('GET', '/connectors/files/tasks/7/status')).status, 404)

    // PUT replaces (200 for an existing connector), PATCH merges.
    const put = await call('PUT', '/connectors/files/config', { ...config, 'batch.size': '10' })
    assert.equal(put.status, 200)
    assert.equal(put.body.config['batch.size'], '10')
    const patched = await call('PATCH', '/connectors/files/config', { 'batch.size': '20' })
    assert.equal(patched.status, 200)
    assert.equal(patched.body.config['batch.size'], '20')
    assert.equal((await call('PUT', '/connectors/files/config', { ...config, 'tasks.max': '-1' })).status, 400)
    assert.equal((await call('GET', '/connectors/files/config')).body['batch.size'], '20')

    assert.equal((await call('PUT', '/connectors/files/pause')).status, 202)
    await waitFor('PAUSED', async () => (await state('files')) === 'PAUSED,PAUSED')
    assert.equal((await call('PUT', '/connectors/files/resume')).status, 202)
    await waitFor('RUNNING again', async () => (await state('files')) === 'RUNNING,RUNNING')

    // Offsets: readable any time, alterable only when STOPPED.
    await waitFor('offset committed', async () => (await call('GET', '/connectors/files/offsets')).body.offsets.length === 1)
    assert.deepEqual((await call('GET', '/connectors/files/offsets')).body, { offsets: [{ partition: { filename: file }, offset: { position: 6 } }] })
    const early = await call('PATCH', '/connectors/files/offsets', { offsets: [{ partition: { filename: file }, offset: { position: 2 } }] })
    assert.equal(early.status, 400)
    assert.match(early.body.message, /STOPPED/)

    assert.equal((await call('PUT', '/connectors/files/stop')).status, 204)
    const stopped = (await call('GET', '/connectors/files/status')).body
    assert.equal(stopped.connector.state, 'STOPPED')
    assert.deepEqual(stopped.tasks, [])
    const altered = await call('PATCH', '/connectors/files/offsets', { offsets: [{ partition: { filename: file }, offset: { position: 2 } }] })
    assert.equal(altered.status, 200)
    assert.deepEqual(altered.body, { message: 'The offsets for this connector have been altered successfully' })
    assert.deepEqual((await call('GET', '/connectors/files/offsets')).body.offsets[0].offset, { position: 2 })

    // Resuming from position 2 re-reads "b" and "c".
    assert.equal((await call('PUT', '/connectors/files/resume')).status, 202)
    await waitFor('RUNNING after stop', async () => (await state('files')) === 'RUNNING,RUNNING')
    assert.deepEqual((await consumeAll(env.cluster, topic, 5)).map((m) => m.value?.toString()), ['a', 'b', 'c', 'b', 'c'])

    assert.equal((await call('PUT', '/connectors/files/stop')).status, 204)
    const reset = await call('DELETE', '/connectors/files/offsets')
    assert.deepEqual(reset, { status: 200, body: { message: 'The offsets for this connector have been reset successfully' } })
    assert.deepEqual((await call('GET', '/connectors/files/offsets')).body, { offsets: [] })
    assert.equal((await call('PUT', '/connectors/files/resume')).status, 202)
    await waitFor('RUNNING after reset', async () => (await state('files')) === 'RUNNING,RUNNING')

    // Restarts: plain -> 204; with tasks -> 202 and the RESTARTING plan.
    assert.equal((await call('POST', '/connectors/files/restart')).status, 204)
    const withTasks = await call('POST', '/connectors/files/restart?includeTasks=true')
    assert.equal(withTasks.status, 202)
    assert.equal(withTasks.body.connector.state, 'RESTARTING')
    assert.equal(withTasks.body.tasks[0].state, 'RESTARTING')
    await waitFor('RUNNING after restart', async () => (await state('files')) === 'RUNNING,RUNNING')
    const onlyFailed = await call('POST', '/connectors/files/restart?includeTasks=true&onlyFailed=true')
    assert.equal(onlyFailed.status, 202)
    assert.equal(onlyFailed.body.tasks[0].state, 'RUNNING')
    assert.equal((await call('POST', '/connectors/files/tasks/0/restart')).status, 204)
    assert.equal((await call('POST', '/connectors/files/tasks/3/restart')).status, 404)
    await waitFor('RUNNING after restarts', async () => (await state('files')) === 'RUNNING,RUNNING')

    const metrics = await call('GET', '/metrics')
    assert.equal(metrics.status, 200)
    assert.match(metrics.body, /connect_task_status\{connector="files",task="0",status="RUNNING"\} 1/)
    assert.match(metrics.body, /connect_source_record_write_total\{connector="files",task="0"\} \d+/)

    assert.equal((await call('DELETE', '/connectors/files')).status, 204)
    assert.equal((await call('GET', '/connectors/files')).status, 404)
    assert.deepEqual((await call('GET', '/connectors')).body, [])
  })
})
