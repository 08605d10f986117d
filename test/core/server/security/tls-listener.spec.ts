// SSL listeners (node:tls) with PEM and PKCS12 keystores, client auth, and the listener each
// client came through advertised back to it. kafkajs is the client.
import assert from 'node:assert/strict'
import * as net from 'node:net'
import * as tls from 'node:tls'
import type { KafkaConfig } from 'kafkajs'
import { startCluster } from '../../../../core/server/embedded-cluster'
import { sslPrincipal } from '../../../../core/server/security/listener-security'
import { makeTempDir } from '../../../helpers/temp-dir'
import { uniqueName } from '../../../helpers/unique'
import { readFixture, roundTrip, SCRAM_JAAS, startSecureCluster, tlsFixture, USERS, type SecureCluster } from '../../../helpers/secure-cluster'

const ca = readFixture('ca.pem')

/** Resolves once a TLS client trusting the test CA completes its handshake (or rejects with why not). */
function tlsHandshake(hostPort: string, opts: tls.ConnectionOptions = {}): Promise<void> {
  const [host, port] = hostPort.split(':')
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host, port: Number(port), ca, servername: 'localhost', ...opts }, () => { s.destroy(); resolve() })
    s.on('error', reject)
  })
}

/** An ApiVersions v0 request frame, as any Kafka client sends first. */
function apiVersionsFrame(): Buffer {
  const clientId = Buffer.from('plain-client')
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length)
  body.writeInt16BE(18, 0)
  body.writeInt16BE(0, 2)
  body.writeInt32BE(1, 4)
  body.writeInt16BE(clientId.length, 8)
  clientId.copy(body, 10)
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

describe('core/server/security TLS listeners', () => {
  let sc: SecureCluster
  before(async () => { sc = await startSecureCluster() })
  after(async () => { await sc?.stop() })

  it('kafkajs over SSL (ssl: { ca }) produces and consumes every record byte for byte', async () => {
    const topic = uniqueName('tls-roundtrip')
    const { sent, got } = await roundTrip(sc.kafka('SSL', { ssl: { ca: [ca] } }), topic)
    assert.deepEqual(got, sent)
  })

  it('each client is given the endpoints of the listener it connected through', async () => {
    const ssl = sc.cluster.listeners.find((l) => l.name === 'SSL')!
    const plain = sc.cluster.listeners.find((l) => l.name === 'PLAINTEXT')!
    assert.notDeepEqual(ssl.bootstrapServers, plain.bootstrapServers)
    for (const [listener, opts] of [['SSL', { ssl: { ca: [ca] } }], ['PLAINTEXT', {}]] as [string, Partial<KafkaConfig>][]) {
      const admin = sc.kafka(listener, opts).admin()
      await admin.connect()
      const { brokers } = await admin.describeCluster()
      await admin.disconnect()
      assert.deepEqual(brokers.map((b) => `${b.host}:${b.port}`), sc.brokers(listener))
    }
  })

  it('a PLAINTEXT client on the SSL port gets its connection closed, and the broker keeps serving TLS clients', async () => {
    const [host, port] = sc.brokers('SSL')[0].split(':')
    const received = await new Promise<number>((resolve, reject) => {
      let bytes = 0
      const s = net.connect({ host, port: Number(port) }, () => s.write(apiVersionsFrame()))
      s.on('data', (d) => { bytes += d.length })
      s.on('close', () => resolve(bytes))
      s.on('error', () => undefined)
      setTimeout(() => reject(new Error('the SSL listener did not close a plaintext connection')), 10000).unref()
    })
    // Whatever came back is a TLS alert, never a Kafka response (which would start with a size and correlation id 1).
    assert.ok(received < 64, `${received} bytes came back`)
    const { sent, got } = await roundTrip(sc.kafka('SSL', { ssl: { ca: [ca] } }), uniqueName('tls-after-plain'), 5)
    assert.deepEqual(got, sent)
  })

  it('ssl.client.auth=required refuses a client without a certificate and serves one with a certificate signed by the truststore', async () => {
    const c = await startSecureCluster({
      'group.initial.rebalance.delay.ms': '0',
      'listeners': 'PLAINTEXT://127.0.0.1:0,MTLS://127.0.0.1:0',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,MTLS:SSL',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': tlsFixture('server-keystore.pem'),
      'listener.name.mtls.ssl.client.auth': 'required',
      'listener.name.mtls.ssl.truststore.type': 'PEM',
      'listener.name.mtls.ssl.truststore.location': tlsFixture('ca.pem'),
    })
    try {
      await assert.rejects(tlsHandshake(c.brokers('MTLS')[0]).then(async () => {
        // TLS 1.3 finishes the client's side before the server checks the certificate: the refusal then arrives as the first read.
        await new Promise<void>((resolve, reject) => {
          const [host, port] = c.brokers('MTLS')[0].split(':')
          const s = tls.connect({ host, port: Number(port), ca, servername: 'localhost' }, () => s.write(apiVersionsFrame()))
          s.on('data', () => { s.destroy(); resolve() })
          s.on('error', reject)
          s.on('close', () => reject(new Error('closed without an answer')))
        })
      }))
      const admin = c.kafka('MTLS', { ssl: { ca: [ca] }, retry: { retries: 0 }, connectionTimeout: 3000 }).admin()
      await assert.rejects(admin.connect())
      const withCert = c.kafka('MTLS', { ssl: { ca: [ca], cert: readFixture('client.pem'), key: readFixture('client-key.pem') } })
      const { sent, got } = await roundTrip(withCert, uniqueName('mtls'), 10)
      assert.deepEqual(got, sent)
    } finally {
      await c.stop()
    }
  })

  it('ssl.client.auth=requested serves clients without a certificate and with a trusted one, and refuses an untrusted one', async () => {
    const c = await startSecureCluster({
      'group.initial.rebalance.delay.ms': '0',
      'listeners': 'SSL://127.0.0.1:0',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': tlsFixture('server-keystore.pem'),
      'ssl.client.auth': 'requested',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': ca,
    })
    try {
      const listTopics = async (ssl: Record<string, unknown>): Promise<void> => {
        const admin = c.kafka('SSL', { ssl: { ca: [ca], ...ssl }, retry: { retries: 0 }, connectionTimeout: 3000 }).admin()
        await admin.connect()
        try { await admin.listTopics() } finally { await admin.disconnect() }
      }
      await listTopics({})
      await listTopics({ cert: readFixture('client.pem'), key: readFixture('client-key.pem') })
      await assert.rejects(listTopics({ cert: readFixture('untrusted-client.pem'), key: readFixture('untrusted-client-key.pem') }))
    } finally {
      await c.stop()
    }
  })

  it('two nodes with PLAINTEXT and SASL_SSL listeners: each listener advertises its own port on every node, and records reach partitions led by both', async () => {
    const c = await startSecureCluster({
      'group.initial.rebalance.delay.ms': '0',
      'godwit.nodes': '2',
      'listeners': 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': tlsFixture('server-keystore.pem'),
      'sasl.enabled.mechanisms': 'SCRAM-SHA-256',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': SCRAM_JAAS,
    })
    try {
      const secured = c.kafka('SASL_SSL', { ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-256', username: 'mm2', password: USERS.mm2 } })
      const admin = secured.admin()
      await admin.connect()
      const { brokers } = await admin.describeCluster()
      const topic = uniqueName('two-nodes')
      await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true })
      const leaders = new Set((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.map((p) => p.leader))
      await admin.disconnect()
      assert.deepEqual(brokers.map((b) => `${b.host}:${b.port}`).sort(), [...c.brokers('SASL_SSL')].sort())
      assert.equal(new Set([...c.brokers('SASL_SSL'), ...c.brokers('PLAINTEXT')]).size, 4, 'four distinct ports')
      assert.deepEqual([...leaders].sort(), [0, 1])
      const { sent, got } = await roundTrip(secured, topic, 40)
      assert.deepEqual([...got].sort(), [...sent].sort())
    } finally {
      await c.stop()
    }
  })

  for (const [name, expected] of [['client', 'User:CN=client,O=Godwit Test'], ['client2', 'User:CN=client2,O=Godwit\\, Inc.']]) {
    it(`the SSL principal of a verified client certificate is Kafka's User:<RFC 2253 distinguished name>: ${expected}`, async () => {
      const server = tls.createServer({ key: readFixture('server-key.pem'), cert: readFixture('server.pem'), ca, requestCert: true, rejectUnauthorized: true })
      const principal = new Promise<string | undefined>((resolve) => server.once('secureConnection', (s) => { resolve(sslPrincipal(s)); s.end('bye') }))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const port = (server.address() as net.AddressInfo).port
      try {
        await new Promise<void>((resolve, reject) => {
          const c = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost', cert: readFixture(`${name}.pem`), key: readFixture(`${name}-key.pem`) })
          c.on('data', () => undefined)
          c.on('end', () => { c.destroy(); resolve() })
          c.on('error', reject)
        })
        assert.equal(await principal, expected)
      } finally {
        server.close()
      }
    })
  }

  describe('keystores', () => {
    const start = async (extra: Record<string, string>): Promise<() => Promise<void>> => {
      const temp = makeTempDir('godwit-ks-')
      const cluster = await startCluster({ dataDir: temp.dir, config: { listeners: 'SSL://127.0.0.1:0', ...extra } }).catch((e: unknown) => { temp.cleanup(); throw e })
      await tlsHandshake(cluster.bootstrapServers[0])
      return async () => { await cluster.stop(); temp.cleanup() }
    }

    it('PEM with an encrypted key (ssl.key.password), inline PEM (ssl.keystore.key + certificate.chain) and PKCS12 all serve TLS', async () => {
      const variants: Record<string, string>[] = [
        { 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': readFixture('server-key-encrypted.pem'), 'ssl.key.password': 'server-secret', 'ssl.keystore.certificate.chain': readFixture('server.pem') },
        { 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': readFixture('server-key.pem'), 'ssl.keystore.certificate.chain': readFixture('server.pem') },
        { 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': tlsFixture('server.p12'), 'ssl.keystore.password': 'keystore-secret' },
      ]
      for (const v of variants) await (await start(v))()
    })

    it('a JKS keystore is refused with the command that converts it; a listener without a keystore or a protocol says what to set', async () => {
      const temp = makeTempDir('godwit-ks-')
      try {
        const attempt = (config: Record<string, string>): Promise<unknown> => startCluster({ dataDir: temp.dir, config })
        await assert.rejects(attempt({ listeners: 'SSL://127.0.0.1:0', 'ssl.keystore.location': '/x/keystore.jks' }), /JKS keystores are not supported; convert to PKCS12 with "keytool -importkeystore/)
        await assert.rejects(attempt({ listeners: 'SSL://127.0.0.1:0' }), /listener SSL uses TLS but has no keystore: set ssl.keystore.type=PEM/)
        await assert.rejects(attempt({ listeners: 'SSL://127.0.0.1:0', 'ssl.keystore.location': tlsFixture('server-keystore.pem') }), /ssl.keystore.location \S+server-keystore.pem is a PEM file but ssl.keystore.type is JKS \(Kafka's default\); set ssl.keystore.type=PEM/)
        await assert.rejects(attempt({ listeners: 'INTERNAL://127.0.0.1:0' }), /listener INTERNAL has no entry in listener.security.protocol.map/)
        await assert.rejects(attempt({ listeners: 'SSL://127.0.0.1:0', 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': '/nonexistent/ks.pem' }), /cannot read ssl.keystore.location \/nonexistent\/ks.pem/)
        await assert.rejects(attempt({ listeners: 'PLAINTEXT://127.0.0.1:0', 'advertised.listeners': 'SSL://h:1' }), /advertised.listeners names SSL, which is not in listeners/)
        await assert.rejects(attempt({ listeners: 'PLAINTEXT://127.0.0.1:0', 'listener.name.ssl.ssl.client.auth': 'required' }), /listener.name.ssl.\* is set but no listener is named SSL/)
        await assert.rejects(attempt({ listeners: 'PLAINTEXT://127.0.0.1:0', 'listener.name.plaintext.log.dirs': '/x' }), /listener.name.plaintext.log.dirs: not a per-listener setting/)
        await assert.rejects(attempt({ listeners: 'SSL://127.0.0.1:0', 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': tlsFixture('server-keystore.pem'), 'ssl.client.auth': 'required' }), /ssl.client.auth=required needs a truststore/)
      } finally {
        temp.cleanup()
      }
    })
  })
})
