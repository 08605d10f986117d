// `godwit broker server.properties` with SSL and SASL_SSL listeners, read from a Kafka-style file.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { makeTempDir } from '../../../helpers/temp-dir'
import { uniqueName } from '../../../helpers/unique'
import { readFixture, roundTrip, tlsFixture, USERS } from '../../../helpers/secure-cluster'
import { startBrokerProcess } from '../broker-process'

describe('core/cli/broker-command security', () => {
  it('serves SASL_SSL (SCRAM-SHA-512) and SSL listeners from server.properties, one listening line per listener, and stops on SIGTERM', async () => {
    const tmp = makeTempDir()
    try {
      const props = path.join(tmp.dir, 'server.properties')
      fs.writeFileSync(props, [
        '# secured listeners, Kafka style',
        `log.dirs=${path.join(tmp.dir, 'data')}`,
        'listeners=SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0',
        'security.inter.broker.protocol=SASL_SSL',
        'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
        'sasl.enabled.mechanisms=SCRAM-SHA-512',
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${tlsFixture('server-keystore.pem')}`,
        `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\`,
        `    user_alice="${USERS.alice}";`,
        'group.initial.rebalance.delay.ms=0',
      ].join('\n') + '\n')
      const b = await startBrokerProcess([props])
      const lines = [...b.output().matchAll(/godwit broker: node 0 listening on (\S+) \((\w+)\)/g)].map((m) => [m[2], m[1]])
      assert.deepEqual(lines.map(([name]) => name), ['SASL_SSL', 'SSL'])
      assert.doesNotMatch(b.output(), /ignoring unsupported property/)
      const [saslSsl, ssl] = lines.map(([, hostPort]) => hostPort)
      const ca = [readFixture('ca.pem')]
      const secured = new Kafka({ brokers: [saslSsl], logLevel: logLevel.NOTHING, ssl: { ca }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: USERS.alice } })
      const { sent, got } = await roundTrip(secured, uniqueName('cli-sasl-ssl'), 20)
      assert.deepEqual(got, sent)
      const admin = new Kafka({ brokers: [ssl], logLevel: logLevel.NOTHING, ssl: { ca } }).admin()
      await admin.connect()
      const { brokers } = await admin.describeCluster()
      await admin.disconnect()
      assert.deepEqual(brokers.map((x) => `${x.host}:${x.port}`), [ssl])
      b.child.kill('SIGTERM')
      assert.equal(await b.exited, 0)
    } finally {
      tmp.cleanup()
    }
  })

  it('a SASL listener without users does not start, and says which key to set', async () => {
    const tmp = makeTempDir()
    try {
      const props = path.join(tmp.dir, 'server.properties')
      fs.writeFileSync(props, `log.dirs=${path.join(tmp.dir, 'data')}\nlisteners=SASL_PLAINTEXT://127.0.0.1:0\nsasl.enabled.mechanisms=PLAIN\n`)
      await assert.rejects(startBrokerProcess([props]), /listener SASL_PLAINTEXT enables SASL PLAIN but listener\.name\.sasl_plaintext\.plain\.sasl\.jaas\.config is not set/)
    } finally {
      tmp.cleanup()
    }
  })
})
