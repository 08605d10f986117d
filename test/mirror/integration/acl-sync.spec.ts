// Topic ACL sync against clusters without ACL support (no authorizer.class.name): the mirror notices
// once, logs one info line, stops trying, and replication goes on unaffected.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { mm2Props, readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')
const SKIPPED = /topic ACL sync skipped: the cluster does not support ACLs/

describe('mirror/integration topic ACL sync on a cluster without ACLs', function () {
  this.timeout(60000)
  const temp = makeTempDir('godwit-mirror-acls-')
  let a: TestCluster
  let b: TestCluster
  let child: ChildProcess | undefined

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  after(async () => {
    child?.kill('SIGKILL')
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('logs once that ACL sync is skipped, stops trying, and keeps replicating', async () => {
    const topic = uniqueName('acls')
    const producer = a.kafka().producer()
    await producer.connect()
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `first-${i}` })) })
    const file = path.join(temp.dir, 'mm2.properties')
    const props = mm2Props(a.bootstrapServers, b.bootstrapServers, {
      'A->B.topics': topic, 'B->A.enabled': 'false',
      'sync.topic.acls.enabled': 'true', 'sync.topic.acls.interval.seconds': '1',
    })
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')
    let stderr = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'info' } })
    child = c
    c.stdout!.resume()
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const exited = new Promise<number | null>((resolve) => c.on('close', resolve))

    await readAll(b.kafka(), `A.${topic}`, 20, 30000)
    await waitFor('the skipped line', () => SKIPPED.test(stderr), { timeoutMs: 20000 })
    const skippedAt = Date.now()
    // More records, and at least three more ACL sync intervals (1 s) before looking again.
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `second-${i}` })) })
    await producer.disconnect()
    const got = await readAll(b.kafka(), `A.${topic}`, 40, 30000)
    await waitFor('three more ACL sync intervals', () => Date.now() - skippedAt > 3500, { timeoutMs: 10000, intervalMs: 100 })
    assert.deepEqual(got.map((r) => r.value), [...Array.from({ length: 20 }, (_, i) => `first-${i}`), ...Array.from({ length: 20 }, (_, i) => `second-${i}`)])
    const lines = stderr.split('\n').filter((l) => SKIPPED.test(l))
    assert.equal(lines.length, 1, lines.join('\n'))
    assert.equal(JSON.parse(lines[0]).level, 30, 'logged at info')
    assert.doesNotMatch(stderr, /topic refresh failed/)
    c.kill('SIGTERM')
    assert.equal(await exited, 0)
    child = undefined
  })
})
