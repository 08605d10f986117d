import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { builtinPlugins } from '../../../connectors/builtin'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { registerPlugins } from '../fixtures/test-connectors'
import { consumeAll, rest, withStandaloneWorker } from '../connect-helpers'

describe('connectors/runtime: a failing task', () => {
  const env = withStandaloneWorker({ plugins: () => { const plugins = builtinPlugins(); registerPlugins(plugins); return plugins } })

  it('is FAILED with its trace, leaves its sibling running, and restarts to finish without losing a record', async () => {
    const topic = uniqueName('fail')
    const flag = path.join(env.dir, 'fail-now')
    const count = 3000
    const call = (m: string, p: string, b?: unknown) => rest(env.worker.url, m, p, b)
    const created = await call('POST', '/connectors', { name: 'counting', config: { 'connector.class': 'test.CountingSourceConnector', 'tasks.max': '2', topic, count: String(count), 'fail.flag': flag, 'fail.task': '0' } })
    assert.equal(created.status, 201)
    await waitFor('both tasks RUNNING', async () => (await call('GET', '/connectors/counting/status')).body.tasks.filter((t: any) => t.state === 'RUNNING').length === 2)

    fs.writeFileSync(flag, '')
    const failed = await waitFor('task 0 FAILED', async () => {
      const t = (await call('GET', '/connectors/counting/tasks/0/status')).body
      return t.state === 'FAILED' ? t : undefined
    })
    assert.match(failed.trace, /CountingSource task 0 failed on purpose/)
    assert.match(failed.trace, /at CountingSourceTask\.poll/)
    const status = (await call('GET', '/connectors/counting/status')).body
    assert.equal(status.connector.state, 'RUNNING')
    assert.equal(status.tasks[1].state, 'RUNNING')

    // Task 1 finishes its work while task 0 is down.
    await waitFor('task 1 done', async () => {
      const o = (await call('GET', '/connectors/counting/offsets')).body.offsets.find((x: any) => x.partition.task === '1')
      return o?.offset.n === count
    }, { timeoutMs: 30000 })

    fs.rmSync(flag)
    const restarted = await call('POST', '/connectors/counting/restart?includeTasks=true&onlyFailed=true')
    assert.equal(restarted.status, 202)
    assert.equal(restarted.body.connector.state, 'RUNNING')
    assert.deepEqual(restarted.body.tasks.map((t: any) => t.state), ['RESTARTING', 'RUNNING'])
    await waitFor('task 0 RUNNING', async () => (await call('GET', '/connectors/counting/tasks/0/status')).body.state === 'RUNNING')

    // Every value of both tasks arrived (a restart after failure may repeat, never skip).
    const seen = new Set<string>()
    const expected = 2 * count
    const all = await consumeAll(env.cluster, topic, expected, 40000)
    for (const m of all) seen.add(m.value!.toString())
    await waitFor('every record', async () => {
      if (seen.size >= expected) return true
      for (const m of await consumeAll(env.cluster, topic, all.length + 1, 5000).catch(() => [])) seen.add(m.value!.toString())
      return seen.size >= expected
    }, { timeoutMs: 40000 })
    for (const t of [0, 1]) for (let i = 0; i < count; i++) assert.ok(seen.has(`${t}-${i}`), `missing ${t}-${i}`)
    const metrics = (await call('GET', '/metrics')).body as string
    assert.match(metrics, /connect_task_status\{connector="counting",task="0",status="RUNNING"\} 1/)
  })

  it('a connector whose start() throws is FAILED with its trace and runs its tasks after a restart', async () => {
    const topic = uniqueName('cfail')
    const flag = path.join(env.dir, 'connector-fail')
    fs.writeFileSync(flag, '')
    const call = (m: string, p: string, b?: unknown) => rest(env.worker.url, m, p, b)
    assert.equal((await call('POST', '/connectors', { name: 'broken-start', config: { 'connector.class': 'test.CountingSourceConnector', topic, count: '10', 'connector.fail.flag': flag } })).status, 201)
    const status = await waitFor('connector FAILED', async () => {
      const s = (await call('GET', '/connectors/broken-start/status')).body
      return s.connector.state === 'FAILED' ? s : undefined
    })
    assert.match(status.connector.trace, /CountingSourceConnector cannot start: fail flag present/)
    assert.deepEqual(status.tasks, [])
    fs.rmSync(flag)
    assert.equal((await call('POST', '/connectors/broken-start/restart')).status, 204)
    await waitFor('connector and task RUNNING', async () => {
      const s = (await call('GET', '/connectors/broken-start/status')).body
      return s.connector.state === 'RUNNING' && s.tasks[0]?.state === 'RUNNING'
    })
    assert.deepEqual((await consumeAll(env.cluster, topic, 10)).map((m) => m.value?.toString()), Array.from({ length: 10 }, (_, i) => `0-${i}`))
  })
})
