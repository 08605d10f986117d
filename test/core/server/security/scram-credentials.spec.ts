// SCRAM credentials managed at run time (DescribeUserScramCredentials / AlterUserScramCredentials,
// what kafka-configs --alter --add-config 'SCRAM-SHA-512=[password=...]' sends), sent here with
// core/protocol's client codec; kafkajs then authenticates with them, across a broker restart.
import assert from 'node:assert/strict'
import * as crypto from 'node:crypto'
import { Kafka, logLevel, type SASLOptions } from 'kafkajs'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { ErrorCode } from '../../../../core/protocol/error-codes'
import { startCluster, type EmbeddedCluster } from '../../../../core/server/embedded-cluster'
import { makeTempDir } from '../../../helpers/temp-dir'
import { WireClient } from '../wire-client'

const CONFIG = {
  'listeners': 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
  'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
}

/** The upsertion a client sends: Hi(password, salt, iterations) as SCRAM defines it. */
function upsertion(name: string, mechanism: 1 | 2, password: string, iterations = 4096): { name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer } {
  const salt = crypto.randomBytes(16)
  const [hash, bytes] = mechanism === 1 ? ['sha256', 32] as const : ['sha512', 64] as const
  return { name, mechanism, iterations, salt, saltedPassword: crypto.pbkdf2Sync(password, salt, iterations, bytes, hash) }
}

async function canAuthenticate(cluster: EmbeddedCluster, mechanism: 'scram-sha-256' | 'scram-sha-512', username: string, password: string): Promise<boolean> {
  const brokers = cluster.listeners.find((l) => l.name === 'SASL_PLAINTEXT')!.bootstrapServers
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism, username, password } as SASLOptions }).admin()
  try {
    await admin.connect()
    await admin.listTopics()
    return true
  } catch (err) {
    if ((err as Error).name === 'KafkaJSSASLAuthenticationError') return false
    throw err
  } finally {
    await admin.disconnect()
  }
}

describe('core/server/security SCRAM credentials at run time', () => {
  const temp = makeTempDir('godwit-scram-')
  let cluster: EmbeddedCluster | undefined
  let wire: WireClient | undefined
  const start = async (): Promise<void> => {
    cluster = await startCluster({ dataDir: temp.dir, config: CONFIG })
    wire = await WireClient.connect(cluster.bootstrapServers[0])
  }
  const stop = async (): Promise<void> => {
    wire?.close()
    await cluster?.stop()
  }
  after(async () => { await stop(); temp.cleanup() })

  it('an upserted user authenticates with its mechanism only, is described without secrets, survives a restart, and is gone once deleted', async () => {
    await start()
    const alter = await wire!.request(ApiKey.AlterUserScramCredentials, 0, { deletions: [], upsertions: [upsertion('carol', 2, 'carol-secret', 8192), upsertion('dave', 1, 'dave-secret')] })
    assert.deepEqual(alter.results, [{ user: 'carol', errorCode: 0, errorMessage: null }, { user: 'dave', errorCode: 0, errorMessage: null }])
    assert.equal(await canAuthenticate(cluster!, 'scram-sha-512', 'carol', 'carol-secret'), true)
    assert.equal(await canAuthenticate(cluster!, 'scram-sha-512', 'carol', 'wrong'), false)
    assert.equal(await canAuthenticate(cluster!, 'scram-sha-256', 'carol', 'carol-secret'), false, 'no SHA-256 credential for carol')
    assert.equal(await canAuthenticate(cluster!, 'scram-sha-256', 'dave', 'dave-secret'), true)

    const all = await wire!.request(ApiKey.DescribeUserScramCredentials, 0, { users: null })
    assert.deepEqual(all.results, [
      { user: 'carol', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 2, iterations: 8192 }] },
      { user: 'dave', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 1, iterations: 4096 }] },
    ])

    await stop()
    await start()
    assert.equal(await canAuthenticate(cluster!, 'scram-sha-512', 'carol', 'carol-secret'), true, 'after a restart')
    const del = await wire!.request(ApiKey.AlterUserScramCredentials, 0, { deletions: [{ name: 'carol', mechanism: 2 }], upsertions: [] })
    assert.deepEqual(del.results, [{ user: 'carol', errorCode: 0, errorMessage: null }])
    assert.equal(await canAuthenticate(cluster!, 'scram-sha-512', 'carol', 'carol-secret'), false)
    const one = await wire!.request(ApiKey.DescribeUserScramCredentials, 0, { users: [{ name: 'carol' }, { name: 'dave' }] })
    assert.deepEqual(one.results.map((r) => [r.user, r.errorCode]), [['carol', ErrorCode.RESOURCE_NOT_FOUND], ['dave', 0]])
  })

  it('bad alterations get Kafka\'s per-user errors and change nothing for that user', async () => {
    const res = await wire!.request(ApiKey.AlterUserScramCredentials, 0, {
      deletions: [{ name: 'nobody', mechanism: 1 }, { name: 'erin', mechanism: 2 }],
      upsertions: [upsertion('few', 1, 'x', 1000), upsertion('odd', 1, 'x'), upsertion('', 2, 'x'), upsertion('erin', 2, 'x'), { ...upsertion('zed', 1, 'x'), mechanism: 9 }],
    })
    const odd = res.results.find((r) => r.user === 'odd')
    assert.deepEqual(odd, { user: 'odd', errorCode: 0, errorMessage: null })
    assert.deepEqual(res.results.filter((r) => r.user !== 'odd').map((r) => [r.user, r.errorCode]), [
      ['nobody', ErrorCode.RESOURCE_NOT_FOUND], ['erin', ErrorCode.DUPLICATE_RESOURCE], ['few', ErrorCode.UNACCEPTABLE_CREDENTIAL],
      ['', ErrorCode.UNACCEPTABLE_CREDENTIAL], ['zed', ErrorCode.UNSUPPORTED_SASL_MECHANISM],
    ])
    assert.match(res.results.find((r) => r.user === 'few')!.errorMessage!, /Too few iterations \(1000\); at least 4096/)
    const described = await wire!.request(ApiKey.DescribeUserScramCredentials, 0, { users: [{ name: 'erin' }, { name: 'odd' }, { name: 'odd' }] })
    assert.deepEqual(described.results.map((r) => [r.user, r.errorCode]), [['erin', ErrorCode.RESOURCE_NOT_FOUND], ['odd', ErrorCode.DUPLICATE_RESOURCE]])
  })
})
