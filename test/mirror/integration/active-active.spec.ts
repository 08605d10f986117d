import assert from 'node:assert/strict'
import type { Kafka } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { PROVENANCE_HEADER } from '../../../mirror/policy'
import { mm2Props, readAll, topicExists } from './mirror-helpers'
import { produceRaw, storedRecords } from './raw-records'

describe('mirror/integration active/active A<->B', function () {
  this.timeout(90000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  afterEach(async () => { await mirror?.stop(); mirror = undefined })
  after(async () => { await Promise.all([a?.stop(), b?.stop()]) })

  async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
    const admin = kafka.admin()
    await admin.connect()
    if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
    await admin.disconnect()
    const p = kafka.producer()
    await p.connect()
    await p.send({ topic, messages: values.map((value) => ({ value, headers: { origin: value.slice(0, 1) } })) })
    await p.disconnect()
  }

  async function topics(kafka: Kafka): Promise<string[]> {
    const admin = kafka.admin()
    await admin.connect()
    try { return await admin.listTopics() } finally { await admin.disconnect() }
  }

  it('DefaultReplicationPolicy: each side gets the other\'s topic once, nothing comes back', async () => {
    const t = uniqueName('aa')
    const vals = (p: string): string[] => Array.from({ length: 20 }, (_, i) => `${p}${i}`)
    await Promise.all([produce(a.kafka(), t, vals('a')), produce(b.kafka(), t, vals('b'))])
    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'B->A.enabled': 'true', 'topics': `${t}.*|heartbeats` }))
    const onB = await readAll(b.kafka(), `A.${t}`, 20)
    const onA = await readAll(a.kafka(), `B.${t}`, 20)
    assert.deepEqual(onB.map((r) => r.value), vals('a'))
    assert.deepEqual(onA.map((r) => r.value), vals('b'))
    // Heartbeats crossed both ways: A.heartbeats on B, B.heartbeats on A. A later topic crossing
    // B->A proves the B->A flow has looked at B's topics since A.heartbeats existed there.
    await waitFor('A.heartbeats on B and B.heartbeats on A', async () => (await topics(b.kafka())).includes('A.heartbeats') && (await topics(a.kafka())).includes('B.heartbeats'))
    const marker = `${t}-marker`
    await produce(b.kafka(), marker, ['m'])
    await waitFor(`B.${marker} on A`, () => topicExists(a.kafka(), `B.${marker}`))
    const all = [...(await topics(a.kafka())), ...(await topics(b.kafka()))]
    assert.deepEqual(all.filter((n) => /^(A\.B|B\.A)\./.test(n)), [], 'no topic went back to where it came from')
    assert.equal((await readAll(b.kafka(), `A.${t}`, 20)).length, 20)
  })

  it('IdentityReplicationPolicy: same topic names, every record exactly once on each side (provenance header stops the loop)', async () => {
    const t = uniqueName('aai')
    const vals = (p: string): string[] => Array.from({ length: 15 }, (_, i) => `${p}${i}`)
    await Promise.all([produce(a.kafka(), t, vals('a')), produce(b.kafka(), t, vals('b'))])
    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, {
      'B->A.enabled': 'true', 'topics': t,
      'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
    }))
    const sorted = (rs: { value: string | null }[]): string[] => rs.map((r) => r.value!).sort()
    const expected = [...vals('a'), ...vals('b')].sort()
    const onA = await readAll(a.kafka(), t, 30)
    const onB = await readAll(b.kafka(), t, 30)
    assert.deepEqual(sorted(onA), expected)
    assert.deepEqual(sorted(onB), expected)
    // One more record from A reaches B; by then a looping record would have shown up again.
    await produce(a.kafka(), t, ['a-last'])
    const later = await readAll(b.kafka(), t, 31)
    assert.ok(later.some((r) => r.value === 'a-last'))
    const backOnA = await readAll(a.kafka(), t, 31)
    assert.equal(backOnA.length, 31)
    assert.equal(later.length, 31)
    // Replicated records carry their origin's own headers plus the provenance list.
    const copied = later.find((r) => r.value === 'a3')!
    assert.equal(copied.headers.origin, 'a')
    assert.equal(copied.headers[PROVENANCE_HEADER], 'A,B')
    assert.equal(onA.find((r) => r.value === 'a3')!.headers[PROVENANCE_HEADER], undefined)
    // The raw path carries the flows: a null header value arrives as null (kafkajs would write it
    // empty), the provenance header appended after it; and it does not come back to A either.
    await produceRaw(a.bootstrapServers, t, 0, [{ offset: 0, timestamp: Date.now(), key: null, value: Buffer.from('a-null'), headers: [['n', null]] }])
    await readAll(b.kafka(), t, 32)
    const stored = (await storedRecords(b.dataDir, t, 0)).find((r) => r.value?.toString() === 'a-null')!
    assert.deepEqual(stored.headers, [['n', null], [PROVENANCE_HEADER, Buffer.from('A,B')]])
    await produce(b.kafka(), t, ['b-last'])
    await readAll(a.kafka(), t, 33)
    assert.equal((await readAll(a.kafka(), t, 33)).filter((r) => r.value === 'a-null').length, 1)
    assert.equal((await readAll(b.kafka(), t, 33)).length, 33)
  })
})
