// Topic ACL sync between two clusters that support ACLs (an authorizer configured on both):
// `godwit mirror` with sync.topic.acls.enabled gives B exactly MM2's result for A's ACLs (ALLOW
// WRITE not copied, ALLOW ALL -> ALLOW READ, DENY as is, LITERAL only, replicated topics only,
// remote names), and an ACL added on A later appears on B, where it is enforced.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, ResourcePatternTypes as Pat,
  type AclEntry, type Admin,
} from 'kafkajs'
import { AclOperation, AclPermissionType, PatternType, ResourceType } from '../../../core/server/acls/acl-types'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { mm2Props, readAll } from './mirror-helpers'
import { consumerCrashType } from '../../helpers/kafka-errors'

const godwit = path.join(__dirname, '../../../bin/godwit.js')
// Every client connects as User:ANONYMOUS (no SASL on this broker yet). On A it is a super user;
// on B resources without ACLs are open and the mirror is granted ALL on the remote topics' prefix,
// so ACLs synced to B apply to it as to anyone.
const A_CONFIG = { 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:ANONYMOUS' }
const B_CONFIG = { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'allow.everyone.if.no.acl.found': 'true' }
const ANY_FILTER = { resourceType: Res.ANY, resourcePatternType: Pat.ANY, operation: Op.ANY, permissionType: Perm.ANY }

const entry = (resourceName: string, principal: string, operation: Op, permissionType = Perm.ALLOW, resourcePatternType = Pat.LITERAL, host = '*', resourceType = Res.TOPIC): AclEntry =>
  ({ resourceType, resourceName, resourcePatternType, principal, host, operation, permissionType })

async function aclLines(admin: Admin): Promise<string[]> {
  const { resources } = await admin.describeAcls(ANY_FILTER)
  return resources.flatMap((r) => r.acls.map((a) =>
    `${ResourceType[r.resourceType]} ${r.resourceName} ${PatternType[r.resourcePatternType]} ${a.principal} ${a.host} ${AclOperation[a.operation]} ${AclPermissionType[a.permissionType]}`)).sort()
}

describe('mirror/integration topic ACL sync between clusters with ACLs', function () {
  this.timeout(60000)
  const temp = makeTempDir('godwit-mirror-acls-on-')
  let a: TestCluster
  let b: TestCluster
  let adminA: Admin
  let adminB: Admin
  let child: ChildProcess | undefined

  before(async () => {
    [a, b] = await Promise.all([startTestCluster({ config: A_CONFIG }), startTestCluster({ config: B_CONFIG })])
    adminA = a.kafka('acl-a').admin()
    adminB = b.kafka('acl-b').admin()
    await Promise.all([adminA.connect(), adminB.connect()])
  })
  after(async () => {
    child?.kill('SIGKILL')
    await Promise.all([adminA?.disconnect(), adminB?.disconnect()])
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('copies the replicated topics\' literal ACLs to B as MM2 does, then ACLs added later, which B enforces', async () => {
    const topic = uniqueName('acl-sync')
    const unreplicated = uniqueName('acl-private')
    const producer = a.kafka().producer()
    await producer.connect()
    await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `v-${i}` })) })
    await producer.send({ topic: unreplicated, messages: [{ value: 'x' }] })
    await producer.disconnect()
    await adminA.createAcls({
      acl: [
        entry(topic, 'User:alice', Op.READ),
        entry(topic, 'User:bob', Op.WRITE),
        entry(topic, 'User:carol', Op.ALL),
        entry(topic, 'User:mallory', Op.READ, Perm.DENY, Pat.LITERAL, '10.0.0.9'),
        entry(topic, 'User:eve', Op.WRITE, Perm.DENY),
        entry(topic.slice(0, 10), 'User:dave', Op.READ, Perm.ALLOW, Pat.PREFIXED),
        entry(unreplicated, 'User:alice', Op.READ),
        entry('some-group', 'User:alice', Op.READ, Perm.ALLOW, Pat.LITERAL, '*', Res.GROUP),
      ],
    })

    await adminB.createAcls({ acl: [entry('A.', 'User:ANONYMOUS', Op.ALL, Perm.ALLOW, Pat.PREFIXED)] })

    const file = path.join(temp.dir, 'mm2.properties')
    const props = mm2Props(a.bootstrapServers, b.bootstrapServers, {
      'A->B.topics': topic, 'B->A.enabled': 'false',
      'sync.topic.acls.enabled': 'true', 'sync.topic.acls.interval.seconds': '1',
    })
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')
    let stderr = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'info' } })
    child = c
    c.stdout!.resume()
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const exited = new Promise<number | null>((resolve) => c.on('close', resolve))

    const remote = `A.${topic}`
    const expected = [
      'TOPIC A. PREFIXED User:ANONYMOUS * ALL ALLOW',
      `TOPIC ${remote} LITERAL User:alice * READ ALLOW`,
      `TOPIC ${remote} LITERAL User:carol * READ ALLOW`,
      `TOPIC ${remote} LITERAL User:eve * WRITE DENY`,
      `TOPIC ${remote} LITERAL User:mallory 10.0.0.9 READ DENY`,
    ].sort()
    let onB: string[] = []
    await waitFor('the synced ACLs on B', async () => {
      onB = await aclLines(adminB)
      return onB.length >= expected.length
    }, { timeoutMs: 30000 })
    assert.deepEqual(onB, expected)
    assert.equal((await readAll(b.kafka(), remote, 5, 30000)).length, 5, 'replication runs alongside')

    // An ACL added on A later reaches B within a few sync intervals, and B enforces it: the
    // mirror (super user on A) goes on replicating, but nobody may read the remote topic any more.
    await adminA.createAcls({ acl: [entry(topic, 'User:ANONYMOUS', Op.READ, Perm.DENY)] })
    const denied = `TOPIC ${remote} LITERAL User:ANONYMOUS * READ DENY`
    await waitFor('the later ACL on B', async () => {
      onB = await aclLines(adminB)
      return onB.includes(denied)
    }, { timeoutMs: 20000 })
    assert.deepEqual(onB, [...expected, denied].sort())
    assert.equal(await consumerCrashType(b.kafka(), uniqueName('reader'), remote), 'TOPIC_AUTHORIZATION_FAILED')
    const more = a.kafka().producer()
    await more.connect()
    await more.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `w-${i}` })) })
    await more.disconnect()
    // DENY READ leaves DESCRIBE (ListOffsets) allowed: the remote topic's end offset shows the new records.
    await waitFor('10 records on B', async () => (await adminB.fetchTopicOffsets(remote)).every((p) => p.high === '10') || undefined, { timeoutMs: 20000 })
    assert.doesNotMatch(stderr, /topic ACL sync skipped/)

    c.kill('SIGTERM')
    assert.equal(await exited, 0)
    child = undefined
  })
})
