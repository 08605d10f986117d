// kafkajs admin's group calls against the embedded broker: describeGroups, listGroups,
// fetchOffsets, setOffsets, resetOffsets and deleteGroups, with the outcomes a user relies on
// (what a consumer then resumes from, which errors come back).
import assert from 'node:assert/strict'
import type { Admin, Kafka } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../../helpers/cluster'
import { uniqueName } from '../../../helpers/unique'
import { waitFor } from '../../../helpers/wait-for'

describe('core/server groups: kafkajs admin', () => {
  let tc: TestCluster
  let kafka: Kafka
  let admin: Admin
  before(async () => {
    tc = await startTestCluster({ nodes: 2 })
    kafka = tc.kafka('admin-groups')
    admin = kafka.admin()
    await admin.connect()
  })
  after(async () => {
    await admin.disconnect()
    await tc.stop()
  })

  async function topicWith(count: number, partitions = 2): Promise<string> {
    const topic = uniqueName('adm-topic')
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `m${i}`, partition: i % partitions })) })
    await producer.disconnect()
    return topic
  }

  /** Runs one consumer until it has seen `count` records; returns the first offset it read per partition. */
  async function consume(groupId: string, topic: string, count: number): Promise<Map<number, number>> {
    const consumer = kafka.consumer({ groupId, heartbeatInterval: 200, maxWaitTimeInMs: 100 })
    const first = new Map<number, number>()
    let n = 0
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({ eachMessage: async ({ partition, message }) => {
      if (!first.has(partition)) first.set(partition, Number(message.offset))
      n++
    } })
    await waitFor(`${count} records`, () => n >= count)
    await consumer.disconnect()
    return first
  }

  it('describeGroups and listGroups show a running consumer group; fetchOffsets its commits', async () => {
    const topic = await topicWith(10)
    const groupId = uniqueName('adm-grp')
    const consumer = kafka.consumer({ groupId, heartbeatInterval: 200, maxWaitTimeInMs: 100 })
    let n = 0
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({ eachMessage: async () => { n++ } })
    await waitFor('10 records', () => n === 10)
    await waitFor('commits', async () => {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] })
      return t.partitions.every((p) => p.offset === '5')
    })
    const { groups: [g] } = await admin.describeGroups([groupId])
    assert.equal(g.state, 'Stable')
    assert.equal(g.protocolType, 'consumer')
    assert.equal(g.protocol, 'RoundRobinAssigner')
    assert.equal(g.members.length, 1)
    assert.equal(g.members[0].clientId, 'admin-groups')
    assert.match(g.members[0].clientHost, /^\/127\.0\.0\.1$/)
    assert.ok(g.members[0].memberAssignment.length > 0)
    const { groups } = await admin.listGroups()
    assert.deepEqual(groups.filter((x) => x.groupId === groupId), [{ groupId, protocolType: 'consumer' }])

    // A running group can be neither reset nor deleted.
    await assert.rejects(admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] }), /must have no running instances/)
    await assert.rejects(admin.deleteGroups([groupId]), (e: Error & { groups?: { errorCode: number }[] }) => {
      assert.equal(e.groups?.[0].errorCode, 68, 'NON_EMPTY_GROUP')
      return true
    })
    await consumer.disconnect()
    const { groups: [after] } = await admin.describeGroups([groupId])
    assert.equal(after.state, 'Empty')
  })

  it('setOffsets and resetOffsets decide where the group resumes', async () => {
    const topic = await topicWith(20)
    const groupId = uniqueName('adm-set')
    await consume(groupId, topic, 20)
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '7' }] })
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] })
    assert.deepEqual(t.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset), ['3', '7'])
    const resumed = await consume(groupId, topic, 7 + 3)
    assert.deepEqual([...resumed].sort(), [[0, 3], [1, 7]])

    await admin.resetOffsets({ groupId, topic, earliest: true })
    const fromStart = await consume(groupId, topic, 20)
    assert.deepEqual([...fromStart].sort(), [[0, 0], [1, 0]])
  })

  it('deleteGroups removes an empty group and its offsets; an unknown group is GROUP_ID_NOT_FOUND', async () => {
    const topic = await topicWith(4)
    const groupId = uniqueName('adm-del')
    await consume(groupId, topic, 4)
    await waitFor('commits', async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.every((p) => p.offset === '2'))
    assert.deepEqual(await admin.deleteGroups([groupId]), [{ groupId, errorCode: 0 }])
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] })
    assert.deepEqual(t.partitions.map((p) => p.offset), ['-1', '-1'])
    assert.equal((await admin.listGroups()).groups.some((g) => g.groupId === groupId), false)
    const { groups: [dead] } = await admin.describeGroups([groupId])
    assert.equal(dead.state, 'Dead')
    await assert.rejects(admin.deleteGroups([uniqueName('never')]), (e: Error & { groups?: { errorCode: number }[] }) => {
      assert.equal(e.groups?.[0].errorCode, 69, 'GROUP_ID_NOT_FOUND')
      return true
    })
  })

  it('deleting a topic drops its committed offsets, so a recreated topic is read from the reset point', async () => {
    const topic = await topicWith(6)
    const groupId = uniqueName('adm-del')
    await consume(groupId, topic, 6)
    await waitFor('commits', async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.every((p) => p.offset === '3'))
    await admin.deleteTopics({ topics: [topic] })
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] })
    assert.deepEqual(t.partitions.map((p) => p.offset), ['-1', '-1'], 'no stale offsets from the deleted topic')
    // The recreated topic's first records are all consumed, none skipped at an old offset.
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 8 }, (_, i) => ({ value: `n${i}`, partition: i % 2 })) })
    await producer.disconnect()
    const first = await consume(groupId, topic, 8)
    assert.deepEqual([...first].sort((a, b) => a[0] - b[0]), [[0, 0], [1, 0]])
  })
})
