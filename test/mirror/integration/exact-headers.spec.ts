// Headers cross the mirror exactly: order, repeats and null values, under the default and the
// identity policy. kafkajs can neither write a null header value nor keep integer-like keys in
// place, so the source records are produced as our own batch and the target's records are read
// from its log files with our decoder. A null value arriving as null also proves the raw path:
// the kafkajs path writes it as an empty value.
import assert from 'node:assert/strict'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { PROVENANCE_HEADER } from '../../../mirror/policy'
import type { WireRecord } from '../../../mirror/wire/record-codec'
import { mm2Props, readAll } from './mirror-helpers'
import { produceRaw, storedRecords } from './raw-records'

const T0 = 1_700_000_000_000
const b = (s: string): Buffer => Buffer.from(s)

describe('mirror/integration exact headers (raw path)', function () {
  this.timeout(90000)
  let a: TestCluster
  let bc: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => { [a, bc] = await Promise.all([startTestCluster(), startTestCluster()]) })
  afterEach(async () => { await mirror?.stop(); mirror = undefined })
  after(async () => { await Promise.all([a?.stop(), bc?.stop()]) })

  const headers: WireRecord['headers'] = [['2', b('two')], ['a', null], ['1', b('one')], ['a', b('again')]]
  const source: WireRecord[] = [
    { offset: 0, timestamp: T0, key: b('k0'), value: b('v0'), headers },
    { offset: 1, timestamp: T0 + 1, key: null, value: null, headers: [] },
    { offset: 2, timestamp: T0 + 2, key: b('k2'), value: b('v2'), headers: [['x', null]] },
  ]

  for (const [policy, cls] of [['default', 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy'], ['identity', 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy']]) {
    it(`${policy} policy: a null header value and keys "2", "a", "1" arrive as they were, in order`, async () => {
      const t = uniqueName(`hdr-${policy}`)
      const admin = a.kafka().admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true })
      await admin.disconnect()
      await produceRaw(a.bootstrapServers, t, 1, source) // gzip
      mirror = await startMirror(mm2Props(a.bootstrapServers, bc.bootstrapServers, { 'topics': t, 'replication.policy.class': cls }))
      const remote = policy === 'identity' ? t : `A.${t}`
      await readAll(bc.kafka(), remote, 3)
      const got = await storedRecords(bc.dataDir, remote, 0)
      const stamp = (h: WireRecord['headers']): WireRecord['headers'] => policy === 'identity' ? [...h, [PROVENANCE_HEADER, b('A,B')]] : h
      assert.deepEqual(got, source.map((r) => ({ ...r, headers: stamp(r.headers) })))
    })
  }
})
