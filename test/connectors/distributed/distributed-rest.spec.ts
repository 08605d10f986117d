import { strict as assert } from 'node:assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startDistributed, type RunningDistributed } from '../../../connectors/distributed/distributed-mode'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest } from '../connect-helpers'

describe('connectors/distributed: the REST API served by every worker (DistributedHerder)', function () {
  this.timeout(60000)
  let cluster: TestCluster
  let redis: TestRedis
  let temp: ReturnType<typeof makeTempDir>
  const workers: RunningDistributed[] = []

  before(async () => {
    cluster = await startTestCluster()
    redis = await startRedis()
    temp = makeTempDir()
    const group = uniqueName('rest')
    for (let i = 0; i < 2; i++) {
      workers.push(await startDistributed({
        workerProps: {
          'bootstrap.servers': cluster.brokers, 'group.id': group, 'redis.url': redis.url, 'listeners': 'http://127.0.0.1:0',
          'offset.flush.interval.ms': '100', 'heartbeat.interval.ms': '200', 'session.timeout.ms': '3000',
        },
      }))
    }
  })
  after(async () => {
    for (const w of workers) await w.stop()
    await cluster?.stop()
    await redis?.stop()
    temp?.cleanup()
  })

  it('creates on one worker, reports from the other, and pauses, resumes, stops and deletes through either', async () => {
    const [a, b] = [workers[0]!.url, workers[1]!.url]
    const ids = workers.map((w) => w.worker.id)
    const topic = uniqueName('lines')
    const file = path.join(temp.dir, 'in.txt')
    fs.writeFileSync(file, 'one\ntwo\nthree\n')
    const config = { 'connector.class': 'FileStreamSource', file, topic }

    const created = await rest(b, 'POST', '/connectors', { name: 'src', config })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.equal(created.body.name, 'src')
    assert.equal(created.body.type, 'source')
    const dup = await rest(a, 'POST', '/connectors', { name: 'src', config })
    assert.equal(dup.status, 409)
    assert.match(dup.body.message, /already exists/)
    const bad = await rest(a, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'FileStreamSource', topic } })
    assert.equal(bad.status, 400)
    assert.match(bad.body.message, /file/)
    assert.deepEqual((await rest(a, 'GET', '/connectors')).body, ['src'])

    const running = await waitFor('connector and task RUNNING', async () => {
      const s = await rest(a, 'GET', '/connectors/src/status')
      return s.body.connector.state === 'RUNNING' && s.body.tasks.length === 1 && s.body.tasks[0].state === 'RUNNING' ? s.body : undefined
    })
    assert.ok(ids.includes(running.connector.worker_id) && ids.includes(running.tasks[0].worker_id))
    // Consume only once the topic exists (the task creates it); a consumer subscribed earlier would not see it.
    await waitFor('offset committed to Redis, visible from both workers', async () => {
      for (const u of [a, b]) {
        const o = await rest(u, 'GET', '/connectors/src/offsets')
        if (o.body.offsets[0]?.offset?.position !== 14) return false
      }
      return true
    })
    const lines = await consumeAll(cluster, topic, 3).catch(async (e: Error) => {
      const st = await rest(a, 'GET', '/connectors/src/status')
      throw new Error(`${e.message}; status ${JSON.stringify(st.body)}; events ${JSON.stringify(workers.map((w) => w.worker.status().events.map((x) => `${x.kind}: ${x.message}`)))}`)
    })
    assert.deepEqual(lines.map((r) => r.value!.toString()), ['one', 'two', 'three'])
    assert.deepEqual((await rest(b, 'GET', '/connectors/src/tasks')).body[0].id, { connector: 'src', task: 0 })

    assert.equal((await rest(b, 'PUT', '/connectors/src/pause')).status, 202)
    await waitFor('PAUSED', async () => {
      const s = (await rest(a, 'GET', '/connectors/src/status')).body
      return s.connector.state === 'PAUSED' && s.tasks[0]?.state === 'PAUSED'
    })
    assert.equal((await rest(a, 'PUT', '/connectors/src/resume')).status, 202)
    await waitFor('RUNNING again', async () => {
      const s = (await rest(b, 'GET', '/connectors/src/status')).body
      return s.connector.state === 'RUNNING' && s.tasks[0]?.state === 'RUNNING'
    })

    // Offsets may only change while STOPPED (Connect's rule), then are visible everywhere.
    const early = await rest(a, 'DELETE', '/connectors/src/offsets')
    assert.equal(early.status, 400)
    assert.equal((await rest(a, 'PUT', '/connectors/src/stop')).status, 204)
    await waitFor('STOPPED with no tasks', async () => {
      const s = (await rest(b, 'GET', '/connectors/src/status')).body
      return s.connector.state === 'STOPPED' && s.tasks.length === 0
    })
    const patched = await rest(b, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: file }, offset: { position: 4 } }] })
    assert.ok(patched.status < 300, JSON.stringify(patched.body))
    assert.deepEqual((await rest(a, 'GET', '/connectors/src/offsets')).body.offsets, [{ partition: { filename: file }, offset: { position: 4 } }])
    // Resumed from STOPPED: task configs are generated again and the task starts at position 4.
    assert.equal((await rest(b, 'PUT', '/connectors/src/resume')).status, 202)
    const again = await consumeAll(cluster, topic, 5)
    assert.deepEqual(again.map((r) => r.value!.toString()), ['one', 'two', 'three', 'two', 'three'])

    assert.equal((await rest(b, 'DELETE', '/connectors/src')).status, 204)
    assert.equal((await rest(a, 'GET', '/connectors/src')).status, 404)
    assert.equal((await rest(a, 'DELETE', '/connectors/src')).status, 404)

    const metrics = await rest(a, 'GET', '/metrics')
    assert.match(String(metrics.body), /godwit_distributed_is_leader [01]/)
    assert.match(String(metrics.body), /godwit_distributed_group_members 2/)
  })
})
