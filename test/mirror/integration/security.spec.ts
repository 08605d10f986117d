// `godwit mirror` between secured clusters, configured with Kafka's client property names per
// cluster: A serves only SASL_SSL (SCRAM-SHA-512), B only SSL. Records arrive byte for byte and
// the consumer group's checkpoints are emitted to B.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Kafka } from 'kafkajs'
import { MirrorClient } from '../../../mirror/client'
import { readFixture, saslSslScramConfig, startSecureCluster, tlsFixture, USERS, type SecureCluster } from '../../helpers/secure-cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { content, mm2Props, readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')
const ca = readFixture('ca.pem')

function propertiesFile(props: Record<string, string>): string {
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
}

describe('mirror/integration secured clusters (SASL_SSL source, SSL target)', function () {
  this.timeout(90000)
  const temp = makeTempDir('godwit-mirror-security-')
  let a: SecureCluster
  let b: SecureCluster
  let child: ChildProcess | undefined
  let kafkaA: Kafka
  let kafkaB: Kafka

  before(async () => {
    [a, b] = await Promise.all([
      startSecureCluster(saslSslScramConfig()),
      startSecureCluster({
        'group.initial.rebalance.delay.ms': '0',
        'listeners': 'SSL://127.0.0.1:0',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.key': readFixture('server-key.pem'),
        'ssl.keystore.certificate.chain': readFixture('server.pem'),
      }),
    ])
    kafkaA = a.kafka('SASL_SSL', { ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: USERS.alice } })
    kafkaB = b.kafka('SSL', { ssl: { ca: [ca] } })
  })
  after(async () => {
    child?.kill('SIGKILL')
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('replicates A->B byte for byte and emits the group\'s checkpoints, from an mm2.properties with Kafka\'s security keys', async () => {
    const topic = uniqueName('secure')
    const group = uniqueName('secure-group')
    const admin = kafkaA.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })
    const producer = kafkaA.producer()
    await producer.connect()
    // Binary keys and values, headers: the bytes must survive as they are.
    await producer.send({ topic, messages: Array.from({ length: 300 }, (_, i) => ({
      partition: i % 2, key: Buffer.from([i & 0xff, 0, 0xfe]), value: Buffer.concat([Buffer.from(`v${i}-`), Buffer.alloc(i % 50, i & 0xff)]), headers: { n: String(i) },
    })) })
    await producer.disconnect()
    // A consumer group's committed position on A, which the checkpoint connector translates.
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '60' }, { partition: 1, offset: '90' }] })
    await admin.disconnect()

    const file = path.join(temp.dir, 'mm2.properties')
    fs.writeFileSync(file, propertiesFile(mm2Props(a.brokers('SASL_SSL'), b.brokers('SSL'), {
      'A->B.topics': topic,
      'A.security.protocol': 'SASL_SSL',
      'A.sasl.mechanism': 'SCRAM-SHA-512',
      'A.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="${USERS.mm2}";`,
      'A.ssl.truststore.type': 'PEM',
      'A.ssl.truststore.location': tlsFixture('ca.pem'),
      'B.security.protocol': 'SSL',
      'B.ssl.truststore.type': 'PEM',
      'B.ssl.truststore.location': tlsFixture('ca.pem'),
      'B.ssl.endpoint.identification.algorithm': 'https',
    })))
    let stderr = ''
    let stdout = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    child = c
    c.stdout!.on('data', (d: Buffer) => { stdout += d.toString() })
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const exited = new Promise<number | null>((resolve) => c.on('close', resolve))

    const [src, dst] = await Promise.all([readAll(kafkaA, topic, 300), readAll(kafkaB, `A.${topic}`, 300, 40000)])
    assert.equal(dst.length, 300, stderr)
    assert.deepEqual(content(dst), content(src))
    assert.ok(dst.every((r, i) => Buffer.compare(r.rawValue!, src[i].rawValue!) === 0 && Buffer.compare(r.rawKey!, src[i].rawKey!) === 0))

    const client = new MirrorClient(kafkaB)
    const checkpoints = await waitFor('checkpoints for both partitions on B', async () => {
      const cps = await client.remoteConsumerOffsets(group, 'A')
      return cps.length === 2 ? cps : undefined
    }, { timeoutMs: 30000 })
    assert.deepEqual(checkpoints.map((cp) => [cp.topic, cp.partition, cp.offset]).sort(), [[`A.${topic}`, 0, 60], [`A.${topic}`, 1, 90]])

    await waitFor('the running line', () => /running A->B/.test(stdout))
    c.kill('SIGTERM')
    assert.equal(await exited, 0)
    child = undefined
    assert.doesNotMatch(stderr, /unknown property|warning|error/i)
  })
})
