import { strict as assert } from 'node:assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../../helpers/cluster'
import { startRedis, type TestRedis } from '../../../helpers/redis'
import { makeTempDir } from '../../../helpers/temp-dir'
import { uniqueName } from '../../../helpers/unique'
import { waitFor } from '../../../helpers/wait-for'
import { consumeAll, rest } from '../../connect-helpers'
import { spawnDistributed, writeProps, type DistributedProcess } from './distributed-process'

describe('connectors/distributed/integration: 3 connect-distributed processes, one SIGKILLed mid-stream', function () {
  this.timeout(120000)
  let cluster: TestCluster
  let redis: TestRedis
  let temp: ReturnType<typeof makeTempDir>
  const procs: DistributedProcess[] = []

  before(async () => {
    cluster = await startTestCluster()
    redis = await startRedis()
    temp = makeTempDir()
  })
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) { p.child.kill('SIGKILL'); await p.exited }
    await cluster?.stop()
    await redis?.stop()
    temp?.cleanup()
  })

  it('moves the file source task to a survivor, which resumes from the offset committed in Redis: no record lost', async () => {
    const topic = uniqueName('dist')
    const input = path.join(temp.dir, 'input.log')
    const line = (i: number): string => `event ${String(i).padStart(7, '0')} ${'y'.repeat(60)}`
    let written = 0
    const append = (n: number): void => {
      fs.appendFileSync(input, Array.from({ length: n }, (_, j) => line(written + j)).join('\n') + '\n')
      written += n
    }
    append(2000)
    const group = uniqueName('connect')
    const workerFile = writeProps(path.join(temp.dir, 'worker.properties'), {
      'bootstrap.servers': cluster.brokers, 'group.id': group, 'redis.url': redis.url,
      'listeners': 'http://127.0.0.1:0', 'offset.flush.interval.ms': '100',
      'heartbeat.interval.ms': '200', 'session.timeout.ms': '1500',
    })
    for (let i = 0; i < 3; i++) procs.push(await spawnDistributed([workerFile]))

    // Any worker takes the request; the leader applies it.
    const created = await rest(procs[2]!.url, 'POST', '/connectors', {
      name: 'log-source', config: { 'connector.class': 'FileStreamSource', 'file': input, 'topic': topic, 'batch.size': '200' },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const status = await waitFor('task RUNNING', async () => {
      const s = await rest(procs[0]!.url, 'GET', '/connectors/log-source/status')
      return s.status === 200 && s.body.tasks.length === 1 && s.body.tasks[0].state === 'RUNNING' ? s.body : undefined
    }, { timeoutMs: 20000 })
    const owner = procs.find((p) => p.workerId === status.tasks[0].worker_id)
    assert.ok(owner !== undefined, `task owner ${status.tasks[0].worker_id} is one of the workers`)

    // Keep the file growing; kill the task's worker once offsets are being committed.
    const committed = async (): Promise<number> => {
      const r = await rest(procs.find((p) => p !== owner)!.url, 'GET', '/connectors/log-source/offsets')
      return Number(r.body?.offsets?.[0]?.offset?.position ?? 0)
    }
    await waitFor('a first offset commit', async () => { append(300); return (await committed()) > 0 }, { intervalMs: 20, timeoutMs: 30000 })
    append(500)
    const t0 = Date.now()
    owner!.child.kill('SIGKILL')
    assert.equal(await owner!.exited, 'SIGKILL')
    append(2000)
    const total = written

    const survivors = procs.filter((p) => p !== owner)
    const moved = await waitFor('task running on a survivor', async () => {
      const s = await rest(survivors[0]!.url, 'GET', '/connectors/log-source/status')
      const t = s.body?.tasks?.[0]
      return t !== undefined && t.state === 'RUNNING' && t.worker_id !== owner!.workerId ? t.worker_id as string : undefined
    }, { timeoutMs: 20000 })
    const failoverMs = Date.now() - t0
    assert.ok(survivors.some((p) => p.workerId === moved))

    // Every line arrives; some may arrive twice (produced after the last commit before the kill).
    const admin = cluster.kafka().admin()
    await admin.connect()
    await waitFor('every line produced', async () => {
      const r = await rest(survivors[0]!.url, 'GET', '/connectors/log-source/offsets')
      return Number(r.body?.offsets?.[0]?.offset?.position ?? 0) === fs.statSync(input).size
    }, { timeoutMs: 30000 })
    const high = Number((await admin.fetchTopicOffsets(topic))[0]!.high)
    await admin.disconnect()
    const records = await consumeAll(cluster, topic, high, 30000)
    const values = records.sort((a, b) => a.offset - b.offset).map((r) => r.value!.toString())
    const seen = new Map<string, number>()
    for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1)
    const missing: number[] = []
    for (let i = 0; i < total; i++) if (!seen.has(line(i))) missing.push(i)
    const duplicates = values.length - seen.size
    process.stdout.write(`      ${total} lines, ${values.length} records, ${duplicates} duplicates, ${missing.length} missing; task moved in ${failoverMs} ms (session.timeout.ms=1500)\n`)
    assert.deepEqual(missing, [], 'no line lost')
    assert.equal(seen.size, total, 'nothing but the file\'s lines')
    // Duplicates are one contiguous replay of the lines after the last commit, in file order.
    const firstDup = values.findIndex((v, i) => values.indexOf(v) !== i)
    if (firstDup >= 0) {
      const resumed = Number(values[firstDup]!.slice(6, 13))
      for (let k = 0; firstDup + k < values.length; k++) assert.equal(values[firstDup + k], line(resumed + k), 'replay continues in order')
    }
    for (const p of survivors) { p.child.kill('SIGTERM'); assert.equal(await p.exited, 0) }
  })
})
