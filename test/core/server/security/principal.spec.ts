// The contract with the authorizer: every request's context carries Kafka's principal of its
// connection (User:ANONYMOUS, User:<SASL user>, User:<certificate DN>) and its listener name.
// White-box: the ListGroups handler is wrapped for the duration to record what it is given.
import assert from 'node:assert/strict'
import { ApiKey } from '../../../../core/protocol/api-keys'
import { HANDLERS, type Handler } from '../../../../core/server/handlers'
import type { RequestContext } from '../../../../core/server/request-context'
import { readFixture, securityConfig, startSecureCluster, tlsFixture, USERS, type SecureCluster } from '../../../helpers/secure-cluster'

describe('core/server/security principal on the request context', () => {
  let sc: SecureCluster
  const seen: { principal: string; listener: string }[] = []
  let original: Handler
  before(async () => {
    sc = await startSecureCluster(securityConfig({
      'listeners': 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
      'listener.name.ssl.ssl.client.auth': 'requested',
      'listener.name.ssl.ssl.truststore.type': 'PEM',
      'listener.name.ssl.ssl.truststore.location': tlsFixture('ca.pem'),
    }))
    original = HANDLERS.get(ApiKey.ListGroups)!
    HANDLERS.set(ApiKey.ListGroups, (req: unknown, ctx: RequestContext) => {
      seen.push({ principal: ctx.principal, listener: ctx.listenerName })
      return original(req, ctx)
    })
  })
  after(async () => {
    HANDLERS.set(ApiKey.ListGroups, original)
    await sc?.stop()
  })

  const ca = [readFixture('ca.pem')]
  const cases: [string, string, Parameters<SecureCluster['kafka']>[1], string][] = [
    ['PLAINTEXT', 'no credentials', {}, 'User:ANONYMOUS'],
    ['SSL', 'no client certificate', { ssl: { ca } }, 'User:ANONYMOUS'],
    ['SSL', 'a client certificate', { ssl: { ca, cert: readFixture('client.pem'), key: readFixture('client-key.pem') } }, 'User:CN=client,O=Godwit Test'],
    ['SASL_PLAINTEXT', 'PLAIN as alice', { sasl: { mechanism: 'plain', username: 'alice', password: USERS.alice } }, 'User:alice'],
    ['SASL_SSL', 'SCRAM-SHA-512 as mm2', { ssl: { ca }, sasl: { mechanism: 'scram-sha-512', username: 'mm2', password: USERS.mm2 } }, 'User:mm2'],
  ]
  for (const [listener, how, opts, principal] of cases) {
    it(`${listener} with ${how}: ${principal}`, async () => {
      seen.length = 0
      const admin = sc.kafka(listener, opts).admin()
      await admin.connect()
      await admin.listGroups()
      await admin.disconnect()
      assert.ok(seen.length > 0)
      assert.deepEqual([...new Set(seen.map((s) => `${s.listener} ${s.principal}`))], [`${listener} ${principal}`])
    })
  }
})
