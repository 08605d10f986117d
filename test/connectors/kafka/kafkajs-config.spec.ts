// Kafka's client security settings to kafkajs options (the one mapping the Connect worker and MM2
// share). The end-to-end proofs are test/mirror/integration/security.spec.ts and
// test/connectors/integration/secure-standalone.spec.ts; these pin each mapping and its errors.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { KafkaClientConfigError } from '../../../connectors/errors'
import { kafkajsConfig } from '../../../connectors/kafka/kafkajs-config'
import { kafkajsConfig as mirrorKafkajsConfig } from '../../../mirror/config'
import { MirrorConfigError } from '../../../mirror/errors'
import { makeTempDir } from '../../helpers/temp-dir'
import { readFixture, tlsFixture } from '../../helpers/secure-cluster'

const base = { 'bootstrap.servers': '127.0.0.1:9093' }
const sslOf = (props: Record<string, string>): Record<string, unknown> => kafkajsConfig({ ...base, ...props }, 'test').ssl as Record<string, unknown>

describe('connectors/kafka kafkajs-config (security)', () => {
  it('PLAINTEXT and SASL_PLAINTEXT set no TLS; SSL with nothing else uses the default CAs', () => {
    assert.equal(kafkajsConfig(base, 't').ssl, undefined)
    assert.equal(kafkajsConfig({ ...base, 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'x required username="u" password="p";' }, 't').ssl, undefined)
    assert.deepEqual(sslOf({ 'security.protocol': 'SSL' }), {})
  })

  it('a PEM truststore (file or inline) becomes ca; a PEM file left at the JKS default type is read too', () => {
    const ca = readFixture('ca.pem')
    assert.deepEqual(sslOf({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': tlsFixture('ca.pem') }).ca, [ca])
    assert.deepEqual(sslOf({ 'security.protocol': 'SSL', 'ssl.truststore.location': tlsFixture('ca.pem') }).ca, [ca])
    assert.deepEqual(sslOf({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': ca }).ca, [ca])
  })

  it('keystores: PEM file (key and chain in one), inline key + chain with its password, PKCS12 as pfx', () => {
    const pem = sslOf({ 'security.protocol': 'SSL', 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': tlsFixture('server-keystore.pem') })
    assert.equal(String(pem.key), readFixture('server-keystore.pem'))
    assert.equal(String(pem.cert), readFixture('server-keystore.pem'))
    const inline = sslOf({ 'security.protocol': 'SSL', 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': readFixture('server-key-encrypted.pem'), 'ssl.keystore.certificate.chain': readFixture('server.pem'), 'ssl.key.password': 'server-secret' })
    assert.deepEqual([inline.key, inline.cert, inline.passphrase], [readFixture('server-key-encrypted.pem'), readFixture('server.pem'), 'server-secret'])
    const p12 = sslOf({ 'security.protocol': 'SSL', 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': tlsFixture('server.p12'), 'ssl.keystore.password': 'keystore-secret' })
    assert.deepEqual(p12.pfx, fs.readFileSync(tlsFixture('server.p12')))
    assert.equal(p12.passphrase, 'keystore-secret')
  })

  it('JKS and PKCS12 truststores and JKS keystores are refused with the command that converts them; an unreadable file is named', () => {
    const temp = makeTempDir('godwit-jks-')
    try {
      const jks = path.join(temp.dir, 'truststore.jks')
      fs.writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]))
      assert.throws(() => sslOf({ 'security.protocol': 'SSL', 'ssl.truststore.location': jks }), /JKS truststores cannot be read by kafkajs; export the CA certificates to PEM \("keytool -exportcert -rfc/)
      assert.throws(() => sslOf({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': tlsFixture('server.p12') }), /PKCS12 truststores cannot be read by kafkajs; export the CA certificates to PEM \("openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem"\)/)
      assert.throws(() => sslOf({ 'security.protocol': 'SSL', 'ssl.keystore.location': jks }), /JKS keystores cannot be read by kafkajs; convert with "keytool -importkeystore/)
      assert.throws(() => sslOf({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/nonexistent/ca.pem' }), /ssl.truststore.location \/nonexistent\/ca.pem cannot be read/)
    } finally {
      temp.cleanup()
    }
  })

  it('ssl.endpoint.identification.algorithm= (empty) skips host name verification; https (the default) keeps it', () => {
    const off = sslOf({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': '' })
    assert.equal(typeof off.checkServerIdentity, 'function')
    assert.equal((off.checkServerIdentity as () => unknown)(), undefined)
    assert.equal(sslOf({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'https' }).checkServerIdentity, undefined)
  })

  it('SASL mechanisms map to kafkajs names with the JAAS username and password; GSSAPI is refused', () => {
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="p w";'
    for (const [mech, name] of [['PLAIN', 'plain'], ['SCRAM-SHA-256', 'scram-sha-256'], ['SCRAM-SHA-512', 'scram-sha-512']]) {
      assert.deepEqual(kafkajsConfig({ ...base, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': mech, 'sasl.jaas.config': jaas }, 't').sasl, { mechanism: name, username: 'mm2', password: 'p w' })
    }
    assert.throws(() => kafkajsConfig({ ...base, 'security.protocol': 'SASL_SSL', 'sasl.jaas.config': jaas }, 't'), /sasl.mechanism GSSAPI is not supported/)
  })

  it('errors are KafkaClientConfigError; through mirror/config the same message is a MirrorConfigError', () => {
    const bad = { ...base, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }
    assert.throws(() => kafkajsConfig(bad, 't'), (e: unknown) => e instanceof KafkaClientConfigError && e.code === 'CONNECT_KAFKA_CLIENT_CONFIG')
    assert.throws(() => mirrorKafkajsConfig(bad, 't'), (e: unknown) => e instanceof MirrorConfigError && /^sasl.mechanism GSSAPI is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512$/.test(e.message))
    assert.deepEqual(mirrorKafkajsConfig({ ...base, 'security.protocol': 'SSL' }, 't'), kafkajsConfig({ ...base, 'security.protocol': 'SSL' }, 't'))
  })
})
