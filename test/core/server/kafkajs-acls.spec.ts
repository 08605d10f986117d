// The ACL APIs through kafkajs's admin client against the embedded broker: create, describe and
// delete with Kafka's filters, across a restart and across nodes; per-ACL errors; and
// SECURITY_DISABLED when no authorizer is configured.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, ResourcePatternTypes as Pat,
  type AclEntry, type Admin,
} from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { ApiKey } from '../../../core/protocol/api-keys'
import { ErrorCode } from '../../../core/protocol/error-codes'
import { WireClient } from './wire-client'
import { AclOperation, AclPermissionType, PatternType, ResourceType } from '../../../core/server/acls/acl-types'

const AUTHORIZER = { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'super.users': 'User:ANONYMOUS' }

/** kafkajs's describe answer as sorted one-line strings, easy to compare. */
function flat(resources: { resourceType: number; resourceName: string; resourcePatternType: number; acls: { principal: string; host: string; operation: number; permissionType: number }[] }[]): string[] {
  return resources.flatMap((r) => r.acls.map((a) => `${ResourceType[r.resourceType]} ${r.resourceName} ${PatternType[r.resourcePatternType]} ${a.principal} ${a.host} ${AclOperation[a.operation]} ${AclPermissionType[a.permissionType]}`)).sort()
}

const entry = (resourceName: string, principal: string, operation: Op, permissionType = Perm.ALLOW, resourcePatternType = Pat.LITERAL, resourceType = Res.TOPIC, host = '*'): AclEntry =>
  ({ resourceType, resourceName, resourcePatternType, principal, host, operation, permissionType })

const ANY_FILTER = { resourceType: Res.ANY, resourcePatternType: Pat.ANY, operation: Op.ANY, permissionType: Perm.ANY }

describe('core/server ACL APIs through kafkajs', function () {
  this.timeout(60000)

  describe('with an authorizer', () => {
    const temp = makeTempDir('godwit-acls-')
    let tc: TestCluster
    let admin: Admin
    const start = async (): Promise<void> => {
      tc = await startTestCluster({ nodes: 2, dataDir: temp.dir, config: AUTHORIZER })
      admin = tc.kafka('acl-admin').admin()
      await admin.connect()
    }
    before(start)
    after(async () => {
      await admin?.disconnect()
      await tc?.stop()
      temp.cleanup()
    })

    it('creates ACLs, describes them with Kafka filters, keeps them across a restart, deletes what a filter matches', async () => {
      const t = uniqueName('acl-orders')
      const other = uniqueName('acl-other')
      const prefix = `${t.slice(0, 8)}`
      await admin.createAcls({
        acl: [
          entry(t, 'User:alice', Op.READ),
          entry(t, 'User:alice', Op.READ), // a duplicate is no error and stored once
          entry(t, 'User:bob', Op.WRITE, Perm.DENY, Pat.LITERAL, Res.TOPIC, '10.0.0.1'),
          entry('*', 'User:carol', Op.DESCRIBE),
          entry(prefix, 'User:dave', Op.ALL, Perm.ALLOW, Pat.PREFIXED),
          entry(other, 'User:alice', Op.READ),
          entry('g1', 'User:alice', Op.READ, Perm.ALLOW, Pat.LITERAL, Res.GROUP),
          entry('kafka-cluster', 'User:admin', Op.ALTER, Perm.ALLOW, Pat.LITERAL, Res.CLUSTER),
        ],
      })
      const names = new Set([t, other, prefix, '*', 'g1', 'kafka-cluster'])
      const mine = (lines: string[]): string[] => lines.filter((l) => names.has(l.split(' ')[1]))

      // ANY: everything we created, exactly once each.
      assert.deepEqual(mine(flat((await admin.describeAcls(ANY_FILTER)).resources)), [
        'CLUSTER kafka-cluster LITERAL User:admin * ALTER ALLOW',
        'GROUP g1 LITERAL User:alice * READ ALLOW',
        `TOPIC * LITERAL User:carol * DESCRIBE ALLOW`,
        `TOPIC ${other} LITERAL User:alice * READ ALLOW`,
        `TOPIC ${prefix} PREFIXED User:dave * ALL ALLOW`,
        `TOPIC ${t} LITERAL User:alice * READ ALLOW`,
        `TOPIC ${t} LITERAL User:bob 10.0.0.1 WRITE DENY`,
      ].sort())
      // LITERAL with a name: that exact resource only (not the wildcard, not the prefix).
      const literal = await admin.describeAcls({ ...ANY_FILTER, resourceType: Res.TOPIC, resourceName: t, resourcePatternType: Pat.LITERAL })
      assert.deepEqual(flat(literal.resources), [`TOPIC ${t} LITERAL User:alice * READ ALLOW`, `TOPIC ${t} LITERAL User:bob 10.0.0.1 WRITE DENY`])
      // MATCH: every ACL that applies to the topic: literal, wildcard and prefixed.
      const match = await admin.describeAcls({ ...ANY_FILTER, resourceType: Res.TOPIC, resourceName: t, resourcePatternType: Pat.MATCH })
      assert.deepEqual(flat(match.resources), [
        `TOPIC * LITERAL User:carol * DESCRIBE ALLOW`, `TOPIC ${prefix} PREFIXED User:dave * ALL ALLOW`,
        `TOPIC ${t} LITERAL User:alice * READ ALLOW`, `TOPIC ${t} LITERAL User:bob 10.0.0.1 WRITE DENY`,
      ].sort())
      // Entry filters: principal, host, operation, permission.
      const alice = await admin.describeAcls({ ...ANY_FILTER, principal: 'User:alice' })
      assert.deepEqual(mine(flat(alice.resources)), [`GROUP g1 LITERAL User:alice * READ ALLOW`, `TOPIC ${other} LITERAL User:alice * READ ALLOW`, `TOPIC ${t} LITERAL User:alice * READ ALLOW`].sort())
      const denies = await admin.describeAcls({ ...ANY_FILTER, resourceType: Res.TOPIC, permissionType: Perm.DENY, host: '10.0.0.1', operation: Op.WRITE })
      assert.deepEqual(mine(flat(denies.resources)), [`TOPIC ${t} LITERAL User:bob 10.0.0.1 WRITE DENY`])
      const prefixed = await admin.describeAcls({ ...ANY_FILTER, resourcePatternType: Pat.PREFIXED })
      assert.deepEqual(mine(flat(prefixed.resources)), [`TOPIC ${prefix} PREFIXED User:dave * ALL ALLOW`])

      // The other node of the cluster serves the same ACLs (cluster-wide state).
      const c1 = await WireClient.connect(tc.bootstrapServers[1])
      try {
        const res = await c1.request(ApiKey.DescribeAcls, 1, {
          resourceTypeFilter: Res.TOPIC, resourceNameFilter: t, patternTypeFilter: Pat.LITERAL, principalFilter: null, hostFilter: null, operation: Op.ANY, permissionType: Perm.ANY,
        })
        assert.equal(res.errorCode, ErrorCode.NONE)
        assert.deepEqual(res.resources.map((r) => [r.resourceName, r.acls.length]), [[t, 2]])
      } finally {
        c1.close()
      }

      // Restart on the same data dir: every ACL is still there.
      const before = flat((await admin.describeAcls(ANY_FILTER)).resources)
      await admin.disconnect()
      await tc.stop()
      await start()
      assert.deepEqual(flat((await admin.describeAcls(ANY_FILTER)).resources), before)

      // Delete: each filter's result lists what it removed; the rest stays.
      const deleted = await admin.deleteAcls({
        filters: [
          { ...ANY_FILTER, resourceType: Res.TOPIC, resourceName: t, resourcePatternType: Pat.MATCH, principal: 'User:alice' },
          { ...ANY_FILTER, resourceType: Res.TOPIC, resourcePatternType: Pat.PREFIXED, resourceName: prefix },
          { ...ANY_FILTER, resourceType: Res.TOPIC, resourceName: 'no-such-topic', resourcePatternType: Pat.LITERAL },
        ],
      })
      assert.deepEqual(deleted.filterResponses.map((f) => f.matchingAcls.map((m) => `${m.resourceName} ${PatternType[m.resourcePatternType]} ${m.principal} ${AclOperation[m.operation]} ${m.errorCode}`)), [
        [`${t} LITERAL User:alice READ 0`],
        [`${prefix} PREFIXED User:dave ALL 0`],
        [],
      ])
      const after = flat((await admin.describeAcls(ANY_FILTER)).resources)
      assert.deepEqual(after, before.filter((l) => !l.startsWith(`TOPIC ${t} LITERAL User:alice`) && !l.startsWith(`TOPIC ${prefix} PREFIXED`)))
      assert.ok(after.includes(`TOPIC ${other} LITERAL User:alice * READ ALLOW`), 'a filter for one topic leaves the other alone')
      // And deletions are persisted too.
      const stored = JSON.parse(fs.readFileSync(path.join(temp.dir, 'acls.json'), 'utf8')) as { acls: { resourceName: string }[] }
      assert.equal(stored.acls.length, after.length)
      assert.ok(!stored.acls.some((a) => a.resourceName === prefix))
    })

    it('answers each bad ACL with its own INVALID_REQUEST and creates the good ones of the same request', async () => {
      const t = uniqueName('acl-bad')
      const c = await WireClient.connect(tc.bootstrapServers[0])
      const creation = { resourceType: Res.TOPIC, resourceName: t, resourcePatternType: Pat.LITERAL, principal: 'User:erin', host: '*', operation: Op.READ, permissionType: Perm.ALLOW }
      try {
        const res = await c.request(ApiKey.CreateAcls, 1, {
          creations: [
            creation,
            { ...creation, principal: 'erin' },
            { ...creation, principal: '' },
            { ...creation, operation: Op.ANY },
            { ...creation, operation: 99 },
            { ...creation, permissionType: Perm.ANY },
            { ...creation, resourceType: Res.ANY },
            { ...creation, resourcePatternType: Pat.MATCH },
            { ...creation, resourceName: '' },
            { ...creation, resourceType: Res.CLUSTER, resourceName: 'my-cluster' },
            { ...creation, operation: Op.WRITE },
          ],
        })
        assert.deepEqual(res.results.map((r) => r.errorCode), [0, 42, 42, 42, 42, 42, 42, 42, 42, 42, 0])
        const messages = res.results.map((r) => r.errorMessage)
        assert.equal(messages[0], null)
        assert.match(messages[1]!, /Invalid principal "erin": expected principalType:name/)
        assert.match(messages[3]!, /Invalid operation ANY/)
        assert.match(messages[4]!, /Invalid operation 99/)
        assert.match(messages[5]!, /Invalid permission type ANY/)
        assert.match(messages[6]!, /Invalid resource type ANY/)
        assert.match(messages[7]!, /Invalid pattern type MATCH/)
        assert.match(messages[8]!, /resource name must not be empty/)
        assert.match(messages[9]!, /only valid name for the CLUSTER resource is kafka-cluster/)
      } finally {
        c.close()
      }
      const got = await admin.describeAcls({ ...ANY_FILTER, resourceType: Res.TOPIC, resourceName: t, resourcePatternType: Pat.LITERAL })
      assert.deepEqual(flat(got.resources), [`TOPIC ${t} LITERAL User:erin * READ ALLOW`, `TOPIC ${t} LITERAL User:erin * WRITE ALLOW`])
      // kafkajs surfaces the error of a bad ACL as a protocol error of type INVALID_REQUEST.
      await assert.rejects(admin.createAcls({ acl: [entry(t, 'nobody', Op.READ)] }), (err: Error & { type?: string }) => {
        assert.equal(err.type, 'INVALID_REQUEST')
        return true
      })
      // A filter with an UNKNOWN element is refused; nothing is deleted.
      const c2 = await WireClient.connect(tc.bootstrapServers[0])
      try {
        const del = await c2.request(ApiKey.DeleteAcls, 1, {
          filters: [{ resourceTypeFilter: Res.UNKNOWN, resourceNameFilter: null, patternTypeFilter: Pat.ANY, principalFilter: null, hostFilter: null, operation: Op.ANY, permissionType: Perm.ANY }],
        })
        assert.equal(del.filterResults[0].errorCode, ErrorCode.INVALID_REQUEST)
        assert.match(del.filterResults[0].errorMessage!, /resource type UNKNOWN is not valid/)
      } finally {
        c2.close()
      }
      assert.equal(flat((await admin.describeAcls({ ...ANY_FILTER, resourceType: Res.TOPIC, resourceName: t, resourcePatternType: Pat.LITERAL })).resources).length, 2)
    })
  })

  describe('without an authorizer', () => {
    let tc: TestCluster
    before(async () => { tc = await startTestCluster() })
    after(async () => { await tc?.stop() })

    it('answers every ACL API with SECURITY_DISABLED and Kafka\'s message', async () => {
      const admin = tc.kafka('acl-none').admin()
      await admin.connect()
      try {
        const isDisabled = (err: Error & { type?: string }): boolean => { assert.equal(err.type, 'SECURITY_DISABLED'); return true }
        await assert.rejects(admin.describeAcls(ANY_FILTER), isDisabled)
        await assert.rejects(admin.createAcls({ acl: [entry('t', 'User:a', Op.READ)] }), isDisabled)
        await assert.rejects(admin.deleteAcls({ filters: [ANY_FILTER] }), isDisabled)
      } finally {
        await admin.disconnect()
      }
      const c = await WireClient.connect(tc.bootstrapServers[0])
      try {
        const res = await c.request(ApiKey.DescribeAcls, 1, {
          resourceTypeFilter: Res.ANY, resourceNameFilter: null, patternTypeFilter: Pat.ANY, principalFilter: null, hostFilter: null, operation: Op.ANY, permissionType: Perm.ANY,
        })
        assert.deepEqual(res, { throttleTimeMs: 0, errorCode: 54, errorMessage: 'No Authorizer is configured on the broker', resources: [] })
      } finally {
        c.close()
      }
      assert.ok(!fs.existsSync(path.join(tc.dataDir, 'acls.json')))
    })

    it('refuses an authorizer class it does not provide, naming the ones it accepts', async () => {
      await assert.rejects(startTestCluster({ config: { 'authorizer.class.name': 'com.example.MyAuthorizer' } }), (err: Error) => {
        assert.match(err.message, /authorizer\.class\.name: .*kafka\.security\.authorizer\.AclAuthorizer or org\.apache\.kafka\.metadata\.authorizer\.StandardAuthorizer.*"com\.example\.MyAuthorizer" is not supported/)
        return true
      })
    })
  })
})
