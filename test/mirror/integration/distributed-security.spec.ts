// `godwit mirror --distributed` into a target cluster that serves only SSL: the target's security
// settings (B.security.protocol, B.ssl.*) reach the Connect worker's producer, admin and own
// clients, as MM2 builds its workers' configuration, and every record arrives byte for byte.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { readFixture, startSecureCluster, tlsFixture, type SecureCluster } from '../../helpers/secure-cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest } from '../../connectors/connect-helpers'
import { mm2Props, readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')

describe('mirror/integration godwit mirror --distributed into an SSL target', function () {
  this.timeout(90000)
  const temp = makeTempDir('godwit-mirror-distributed-ssl-')
  let a: TestCluster
  let b: SecureCluster
  let redis: TestRedis
  let child: ChildProcess | undefined
  let exited: Promise<unknown> = Promise.resolve()

  before(async () => {
    ;[a, b, redis] = await Promise.all([
      startTestCluster(),
      startSecureCluster({
        'group.initial.rebalance.delay.ms': '0',
        'listeners': 'SSL://127.0.0.1:0',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.location': tlsFixture('server-keystore.pem'),
      }),
      startRedis(),
    ])
  })
  after(async () => {
    child?.kill('SIGKILL')
    await exited
    await Promise.all([a?.stop(), b?.stop(), redis?.stop()])
    temp.cleanup()
  })

  it('replicates A->B byte for byte with one worker; the worker\'s producer and admin reach B over TLS', async () => {
    const topic = uniqueName('dist-ssl')
    const kafkaB = b.kafka('SSL', { ssl: { ca: [readFixture('ca.pem')] } })
    const producer = a.kafka().producer()
    await producer.connect()
    const records = Array.from({ length: 200 }, (_, i) => ({ key: Buffer.from([i & 0xff, 0, 0xff]), value: Buffer.concat([Buffer.from(`v${i}-`), Buffer.alloc(i % 70, i & 0xff)]), headers: { n: String(i) } }))
    await producer.send({ topic, messages: records })
    await producer.disconnect()

    const file = path.join(temp.dir, 'mm2.properties')
    const props = mm2Props(a.bootstrapServers, b.brokers('SSL'), {
      'A->B.topics': topic, 'B->A.enabled': 'false', 'sync.topic.configs.enabled': 'false',
      'group.id': uniqueName('mm2'), 'listeners': 'http://127.0.0.1:0', 'redis.url': redis.url,
      'heartbeat.interval.ms': '200', 'session.timeout.ms': '2000', 'offset.flush.interval.ms': '200',
      'B.security.protocol': 'SSL',
      'B.ssl.truststore.type': 'PEM',
      'B.ssl.truststore.location': tlsFixture('ca.pem'),
    })
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')
    let out = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file, '--distributed'], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    child = c
    exited = new Promise((resolve) => c.on('close', resolve))
    c.stdout!.on('data', (d: Buffer) => { out += d.toString() })
    c.stderr!.on('data', (d: Buffer) => { out += d.toString() })
    const url = await waitFor('worker REST URL on stdout', () => {
      if (c.exitCode !== null) throw new Error(`worker exited ${c.exitCode}: ${out}`)
      return /REST API at (\S+)/.exec(out)?.[1]
    }, { timeoutMs: 20000 })

    const copied = await readAll(kafkaB, `A.${topic}`, 200, 30000)
    assert.equal(copied.length, 200, out)
    copied.forEach((r, i) => {
      assert.equal(r.headers.n, String(i))
      assert.ok(r.rawKey!.equals(records[i].key) && r.rawValue!.equals(records[i].value), `record ${i} byte for byte`)
    })
    const status = (await rest(url, 'GET', `/connectors/${encodeURIComponent('A->B.MirrorSourceConnector')}/status`)).body
    assert.equal(status.tasks[0].state, 'RUNNING')
    // The raw path ran: the source task wrote its batches to B itself, with the worker's producer.* TLS settings.
    const metrics = await (await fetch(`${url}/metrics`)).text()
    assert.match(metrics, /^connect_source_task_writes_itself\{connector="A->B\.MirrorSourceConnector",task="0"\} 1$/m)
    // GET / reads the cluster id with the worker's own client: B's, over TLS.
    assert.equal(typeof (await rest(url, 'GET', '/')).body.kafka_cluster_id, 'string')
    c.kill('SIGTERM')
    await exited
  })
})
