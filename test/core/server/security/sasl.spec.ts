// SASL listeners (SASL_PLAINTEXT, SASL_SSL) with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, against
// kafkajs and kcat (librdkafka) as clients.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as net from 'node:net'
import type { SASLOptions } from 'kafkajs'
import { startCluster } from '../../../../core/server/embedded-cluster'
import { makeTempDir } from '../../../helpers/temp-dir'
import { uniqueName } from '../../../helpers/unique'
import { readFixture, roundTrip, SCRAM_JAAS, startSecureCluster, tlsFixture, USERS, type SecureCluster } from '../../../helpers/secure-cluster'

const ca = readFixture('ca.pem')

/** kcat as a child process (never spawnSync: the broker runs in this process). */
function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err}`))
    })
    child.stdin.end(input ?? '')
  })
}

/** A request frame of any API with an empty v0 body: enough to see whether the broker serves it. */
function frame(apiKey: number, apiVersion: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(10)
  header.writeInt16BE(apiKey, 0)
  header.writeInt16BE(apiVersion, 2)
  header.writeInt32BE(7, 4)
  header.writeInt16BE(-1, 8)
  const size = Buffer.alloc(4)
  size.writeInt32BE(header.length + body.length)
  return Buffer.concat([size, header, body])
}

describe('core/server/security SASL listeners', () => {
  let sc: SecureCluster
  before(async () => { sc = await startSecureCluster() })
  after(async () => { await sc?.stop() })

  const cases: [string, SASLOptions['mechanism']][] = [
    ['SASL_PLAINTEXT', 'plain'], ['SASL_PLAINTEXT', 'scram-sha-256'], ['SASL_PLAINTEXT', 'scram-sha-512'],
    ['SASL_SSL', 'plain'], ['SASL_SSL', 'scram-sha-256'], ['SASL_SSL', 'scram-sha-512'],
  ]
  for (const [listener, mechanism] of cases) {
    it(`kafkajs over ${listener} with ${mechanism} produces and consumes every record byte for byte`, async () => {
      const kafka = sc.kafka(listener, {
        sasl: { mechanism, username: 'alice', password: USERS.alice } as SASLOptions,
        ...(listener === 'SASL_SSL' ? { ssl: { ca: [ca] } } : {}),
      })
      const { sent, got } = await roundTrip(kafka, uniqueName(`sasl-${mechanism}`), 20)
      assert.deepEqual(got, sent)
    })
  }

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    it(`a wrong ${mechanism} password is kafkajs's authentication error, with the broker's message`, async () => {
      const admin = sc.kafka('SASL_SSL', { ssl: { ca: [ca] }, sasl: { mechanism, username: 'alice', password: 'wrong' } as SASLOptions, retry: { retries: 0 } }).admin()
      await assert.rejects(admin.connect(), (e: Error) => {
        assert.equal(e.name, 'KafkaJSSASLAuthenticationError')
        assert.match(e.message, mechanism === 'plain' ? /Invalid username or password/ : /invalid credentials with SASL mechanism SCRAM-SHA-/)
        return true
      })
      const unknownUser = sc.kafka('SASL_PLAINTEXT', { sasl: { mechanism, username: 'mallory', password: 'x' } as SASLOptions, retry: { retries: 0 } }).admin()
      await assert.rejects(unknownUser.connect(), { name: 'KafkaJSSASLAuthenticationError' })
    })
  }

  it('a mechanism the listener does not enable is refused by name', async () => {
    const c = await startSecureCluster({
      'listeners': 'SASL_PLAINTEXT://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': SCRAM_JAAS,
    })
    try {
      const admin = c.kafka('SASL_PLAINTEXT', { sasl: { mechanism: 'plain', username: 'alice', password: USERS.alice }, retry: { retries: 0 } }).admin()
      await assert.rejects(admin.connect(), /The broker does not support the requested SASL mechanism/)
      const ok = c.kafka('SASL_PLAINTEXT', { sasl: { mechanism: 'scram-sha-512', username: 'mm2', password: USERS.mm2 } }).admin()
      await ok.connect()
      await ok.listTopics()
      await ok.disconnect()
    } finally {
      await c.stop()
    }
  })

  it('a request other than ApiVersions or SASL before authentication closes the connection unanswered; ApiVersions is answered', async () => {
    const [host, port] = sc.brokers('SASL_PLAINTEXT')[0].split(':')
    const talk = (bytes: Buffer): Promise<number> => new Promise((resolve, reject) => {
      let got = 0
      const s = net.connect({ host, port: Number(port) }, () => s.write(bytes))
      s.on('data', (d) => { got += d.length; if (bytes[5] === 18) s.end() })
      s.on('close', () => resolve(got))
      s.on('error', reject)
    })
    assert.ok(await talk(frame(18, 0)) > 0, 'ApiVersions answered')
    // Metadata v0 with an empty topic list.
    assert.equal(await talk(frame(3, 0, Buffer.from([0, 0, 0, 0]))), 0)
  })

  it('before authentication a request above sasl.server.max.receive.size closes the connection; after it, large produces are served', async () => {
    const [host, port] = sc.brokers('SASL_PLAINTEXT')[0].split(':')
    const closed = await new Promise<boolean>((resolve, reject) => {
      const s = net.connect({ host, port: Number(port) }, () => {
        const size = Buffer.alloc(4)
        size.writeInt32BE(600 * 1024)
        s.write(size)
      })
      s.on('close', () => resolve(true))
      s.on('error', reject)
      setTimeout(() => { s.destroy(); resolve(false) }, 5000).unref()
    })
    assert.equal(closed, true, 'a 600 KiB frame announced before authentication is refused at once')
    const producer = sc.kafka('SASL_PLAINTEXT', { sasl: { mechanism: 'scram-sha-256', username: 'alice', password: USERS.alice } }).producer()
    await producer.connect()
    const [res] = await producer.send({ topic: uniqueName('big-after-auth'), acks: -1, messages: [{ value: Buffer.alloc(900 * 1024, 7) }] })
    await producer.disconnect()
    assert.equal(res.errorCode, 0)
  })

  it('kcat (librdkafka) produces and consumes over SASL_SSL with SCRAM-SHA-256', async () => {
    const topic = uniqueName('kcat-sasl')
    const common = ['-b', sc.brokers('SASL_SSL').join(','), '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-256',
      '-X', 'sasl.username=alice', '-X', `sasl.password=${USERS.alice}`, '-X', `ssl.ca.location=${tlsFixture('ca.pem')}`]
    const lines = Array.from({ length: 200 }, (_, i) => `kcat-${i}-${'q'.repeat(i % 23)}`)
    await kcat([...common, '-P', '-t', topic, '-p', '0', '-X', 'topic.request.required.acks=-1'], lines.join('\n') + '\n')
    const out = await kcat([...common, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q'])
    assert.deepEqual(out.split('\n').filter((l) => l !== ''), lines)
    await assert.rejects(kcat(['-b', sc.brokers('SASL_SSL').join(','), '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-256',
      '-X', 'sasl.username=alice', '-X', 'sasl.password=nope', '-X', `ssl.ca.location=${tlsFixture('ca.pem')}`, '-L', '-m', '1']), /SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256/)
  })

  for (const [listener, mechanism] of [['SASL_PLAINTEXT', 'PLAIN'], ['SASL_PLAINTEXT', 'SCRAM-SHA-512'], ['SASL_SSL', 'SCRAM-SHA-512']]) {
    it(`kcat reads metadata over ${listener} with ${mechanism}`, async () => {
      const out = await kcat(['-b', sc.brokers(listener).join(','), '-X', `security.protocol=${listener}`, '-X', `sasl.mechanisms=${mechanism}`,
        '-X', 'sasl.username=mm2', '-X', `sasl.password=${USERS.mm2}`, ...(listener === 'SASL_SSL' ? ['-X', `ssl.ca.location=${tlsFixture('ca.pem')}`] : []), '-L', '-J'])
      const md = JSON.parse(out) as { brokers: { id: number; name: string }[] }
      assert.deepEqual(md.brokers.map((b) => b.name), sc.brokers(listener))
    })
  }

  it('kcat with a client certificate (ssl.certificate.location, ssl.key.location) is served where ssl.client.auth=required, and refused without one', async () => {
    const c = await startSecureCluster({
      'listeners': 'SSL://127.0.0.1:0',
      'ssl.keystore.type': 'PEM', 'ssl.keystore.location': tlsFixture('server-keystore.pem'),
      'ssl.client.auth': 'required', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': tlsFixture('ca.pem'),
    })
    try {
      const base = ['-b', c.brokers('SSL').join(','), '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${tlsFixture('ca.pem')}`]
      const md = JSON.parse(await kcat([...base, '-X', `ssl.certificate.location=${tlsFixture('client.pem')}`, '-X', `ssl.key.location=${tlsFixture('client-key.pem')}`, '-L', '-J'])) as { brokers: { name: string }[] }
      assert.deepEqual(md.brokers.map((b) => b.name), c.brokers('SSL'))
      await assert.rejects(kcat([...base, '-L', '-m', '1']))
    } finally {
      await c.stop()
    }
  })

  it('GSSAPI (Kafka\'s default mechanism), a PLAIN listener without its JAAS config and a wrong login module are config errors naming the fix', async () => {
    const temp = makeTempDir('godwit-sasl-')
    try {
      const attempt = (config: Record<string, string>): Promise<unknown> => startCluster({ dataDir: temp.dir, config: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', ...config } })
      await assert.rejects(attempt({}), /SASL mechanism GSSAPI not supported by Godwit; set sasl.enabled.mechanisms to any of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/)
      await assert.rejects(attempt({ 'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256' }), /listener SASL_PLAINTEXT enables SASL PLAIN but listener\.name\.sasl_plaintext\.plain\.sasl\.jaas\.config is not set/)
      await assert.rejects(attempt({ 'sasl.enabled.mechanisms': 'PLAIN', 'listener.name.sasl_plaintext.plain.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required user_a="b";' }),
        /PLAIN needs org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule/)
      await assert.rejects(attempt({ 'sasl.enabled.mechanisms': 'PLAIN', 'listener.name.sasl_plaintext.plain.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_a="b"' }),
        /options are key="value", and the entry ends with ';'/)
    } finally {
      temp.cleanup()
    }
  })
})
