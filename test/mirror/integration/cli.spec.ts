import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')

describe('mirror/integration godwit mirror (CLI)', function () {
  this.timeout(60000)
  let a: TestCluster
  let b: TestCluster
  let child: ChildProcess | undefined
  const temp = makeTempDir('godwit-mirror-cli-')

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  after(async () => {
    child?.kill('SIGKILL')
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('runs an mm2.properties file, warns about unknown keys, and stops cleanly on SIGTERM', async () => {
    const topic = uniqueName('cli')
    const file = path.join(temp.dir, 'mm2.properties')
    fs.writeFileSync(file, [
      '# MM2 example, Godwit test ports',
      'clusters = A, B',
      `A.bootstrap.servers = ${a.brokers}`,
      `B.bootstrap.servers = ${b.brokers}`,
      'A->B.enabled = true',
      `A->B.topics = ${topic}`,
      'B->A.enabled = false',
      'replication.factor=1',
      'checkpoints.topic.replication.factor=1',
      'heartbeats.topic.replication.factor=1',
      'offset-syncs.topic.replication.factor=1',
      'offset.storage.replication.factor=1',
      'status.storage.replication.factor=1',
      'config.storage.replication.factor=1',
      'refresh.topics.intervall.seconds=1',
      '',
    ].join('\n'))
    const p = a.kafka().producer()
    await p.connect()
    await p.send({ topic, messages: [{ key: 'k', value: 'hello' }] })
    await p.disconnect()

    let stdout = ''
    let stderr = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file, '--clusters', 'B'], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    child = c
    c.stdout!.on('data', (d: Buffer) => { stdout += d.toString() })
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const exited = new Promise<number | null>((resolve) => c.on('close', resolve))
    const got = await readAll(b.kafka(), `A.${topic}`, 1, 30000)
    assert.equal(got[0].value, 'hello')
    await waitFor('running line', () => stdout.includes('running A->B'))
    assert.match(stderr, /refresh\.topics\.intervall\.seconds: unknown property \(did you mean 'refresh\.topics\.interval\.seconds'\?\)/)
    c.kill('SIGTERM')
    assert.equal(await exited, 0)
    child = undefined
    assert.match(stdout, /stopped/)
  })

  it('refuses an invalid file with every problem listed, exit code 1', async () => {
    const file = path.join(temp.dir, 'bad.properties')
    fs.writeFileSync(file, 'clusters = A, B\nA.bootstrap.servers = x:1\nA->B.enabled = maybe\nreplication.factor = zero\n')
    const c = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    let stderr = ''
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const code = await new Promise<number | null>((resolve) => c.on('close', resolve))
    assert.equal(code, 1)
    assert.match(stderr, /Invalid mm2\.properties \(3 problems\)/)
    assert.match(stderr, /B\.bootstrap\.servers: is required/)
    assert.match(stderr, /A->B\.enabled: expected true or false, got "maybe"/)
    assert.match(stderr, /replication\.factor: expected an integer, got "zero"/)
  })
})
