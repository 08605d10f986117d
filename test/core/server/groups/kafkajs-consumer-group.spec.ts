// A kafkajs consumer group of three against the embedded broker: joining, a member leaving,
// rebalancing, committing, and a restarted group resuming where it left off (also across a
// cluster restart on the same data dir).
import assert from 'node:assert/strict'
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../../helpers/cluster'
import { makeTempDir } from '../../../helpers/temp-dir'
import { uniqueName } from '../../../helpers/unique'
import { waitFor } from '../../../helpers/wait-for'
import { committed } from './committed'

const PARTITIONS = 6

interface Tracked {
  consumer: Consumer
  assigned: Record<string, number[]>
}

/** Every consumed record's value -> how many times it was seen, across the whole group. */
type Seen = Map<string, number>

async function startMember(kafka: Kafka, groupId: string, topic: string, seen: Seen, firstSeen?: Map<number, number>): Promise<Tracked> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 10000, heartbeatInterval: 200, maxWaitTimeInMs: 100 })
  const t: Tracked = { consumer, assigned: {} }
  consumer.on(consumer.events.GROUP_JOIN, (e) => { t.assigned = e.payload.memberAssignment })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ partition, message }: EachMessagePayload) => {
      const v = message.value!.toString()
      seen.set(v, (seen.get(v) ?? 0) + 1)
      if (firstSeen !== undefined && !firstSeen.has(partition)) firstSeen.set(partition, Number(message.offset))
    },
  })
  return t
}

async function produce(kafka: Kafka, topic: string, from: number, count: number): Promise<void> {
  const producer = kafka.producer()
  await producer.connect()
  const messages = Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}`, partition: (from + i) % PARTITIONS }))
  await producer.send({ topic, messages, acks: -1 })
  await producer.disconnect()
}

function assertExactlyOnce(seen: Seen, total: number): void {
  const dupes = [...seen].filter(([, n]) => n !== 1)
  assert.deepEqual(dupes, [], 'no record consumed twice')
  assert.equal(seen.size, total, 'every record consumed')
}

function assertBalanced(members: Tracked[], topic: string): void {
  const all = members.flatMap((m) => m.assigned[topic] ?? [])
  assert.deepEqual([...all].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5], 'every partition assigned exactly once')
  for (const m of members) assert.ok((m.assigned[topic] ?? []).length >= 1, 'every member has work')
}

describe('core/server groups: kafkajs consumer group', () => {
  let tc: TestCluster
  const temp = makeTempDir('godwit-groups-')
  before(async () => { tc = await startTestCluster({ nodes: 2, dataDir: temp.dir }) })
  after(async () => {
    await tc.stop()
    temp.cleanup()
  })

  it('three members share the partitions; a leaver\'s partitions move; a restarted group resumes from its commits', async () => {
    const topic = uniqueName('grp-topic')
    const groupId = uniqueName('grp')
    const kafka = tc.kafka('group-test')
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })

    const seen: Seen = new Map()
    const members = [await startMember(kafka, groupId, topic, seen)]
    members.push(await startMember(kafka, groupId, topic, seen))
    members.push(await startMember(kafka, groupId, topic, seen))
    await waitFor('a stable group of three with every partition assigned', async () => {
      const { groups: [g] } = await admin.describeGroups([groupId])
      if (g.state !== 'Stable' || g.members.length !== 3) return false
      try { assertBalanced(members, topic); return true } catch { return false }
    })

    await produce(kafka, topic, 0, 300)
    await waitFor('300 records consumed', () => seen.size === 300)
    await waitFor('offsets committed up to the end', async () => (await committed(kafka, groupId, topic)).every((o) => o === 50))
    assertExactlyOnce(seen, 300)

    // One member leaves: the other two take over its partitions.
    await members[0].consumer.disconnect()
    const rest = members.slice(1)
    await waitFor('a stable group of two covering every partition', async () => {
      const { groups: [g] } = await admin.describeGroups([groupId])
      if (g.state !== 'Stable' || g.members.length !== 2) return false
      try { assertBalanced(rest, topic); return true } catch { return false }
    })
    await produce(kafka, topic, 300, 300)
    await waitFor('600 records consumed', () => seen.size === 600)
    await waitFor('offsets committed up to the end', async () => (await committed(kafka, groupId, topic)).every((o) => o === 100))
    assertExactlyOnce(seen, 600)
    for (const m of rest) await m.consumer.disconnect()
    const { groups: [empty] } = await admin.describeGroups([groupId])
    assert.equal(empty.state, 'Empty')

    // While nobody consumes, more records arrive; the whole cluster restarts on the same data.
    await produce(kafka, topic, 600, 60)
    await admin.disconnect()
    await tc.stop()
    tc = await startTestCluster({ nodes: 2, dataDir: temp.dir })
    const kafka2 = tc.kafka('group-test-2')
    assert.deepEqual(await committed(kafka2, groupId, topic), [100, 100, 100, 100, 100, 100], 'commits survived the restart')

    const firstSeen = new Map<number, number>()
    const again = await startMember(kafka2, groupId, topic, seen, firstSeen)
    await waitFor('the 60 new records consumed', () => seen.size === 660)
    assertExactlyOnce(seen, 660)
    assert.deepEqual([...firstSeen].sort((a, b) => a[0] - b[0]), [0, 1, 2, 3, 4, 5].map((p) => [p, 100]), 'resumed at the committed offset of every partition')
    await waitFor('final commits', async () => (await committed(kafka2, groupId, topic)).every((o) => o === 110))
    await again.consumer.disconnect()
  })
})
