// librdkafka's balanced consumer (kcat -G) against the embedded broker: two kcat processes in
// one group split the partitions, commit, and a later kcat resumes after the committed offsets.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { startTestCluster, type TestCluster } from '../../../helpers/cluster'
import { uniqueName } from '../../../helpers/unique'
import { waitFor } from '../../../helpers/wait-for'
import { committed } from './committed'

const KCAT = '/usr/bin/kcat'
const PARTITIONS = 4

interface KcatConsumer {
  child: ChildProcess
  /** "partition:offset:value" per consumed record. */
  lines: string[]
  stderr: string
  stop(): Promise<void>
  /** Dies without a word to the broker, as a crashed process does. */
  kill(): Promise<void>
}

/**
 * kcat reports each rebalance on stderr: "% Group g rebalanced (memberid m): assigned: t [0], t [1]"
 * when it gets partitions and "...: revoked: ..." when it gives them up. One entry per line.
 */
function assignments(c: KcatConsumer): string[] {
  return c.stderr.split('\n').filter((l) => l.includes('rebalanced')).map((l) => l.replace(/.*(assigned|revoked): /, '$1 '))
}

/** The partitions a member holds now, or undefined while it has none (or has just revoked them). */
function currentAssignment(c: KcatConsumer): string | undefined {
  const last = assignments(c).at(-1)
  return last?.startsWith('assigned ') === true ? last.slice('assigned '.length) : undefined
}

/** Both members hold partitions and, together, each of the topic's partitions exactly once. */
function settled(...members: KcatConsumer[]): boolean {
  const held = members.map((m) => currentAssignment(m))
  if (held.some((h) => h === undefined || h.trim() === '')) return false
  const parts = held.flatMap((h) => h!.split(',').map((p) => p.trim()))
  return parts.length === PARTITIONS && new Set(parts).size === PARTITIONS
}

function kcatGroup(brokers: string, groupId: string, topic: string, extra: string[] = []): KcatConsumer {
  const child = spawn(KCAT, [
    '-b', brokers, '-G', groupId, '-u', '-f', '%p:%o:%s\\n', ...extra,
    '-X', 'auto.offset.reset=earliest',
    '-X', 'auto.commit.interval.ms=100',
    '-X', 'session.timeout.ms=6000',
    '-X', 'heartbeat.interval.ms=200',
    '-X', 'fetch.wait.max.ms=100',
    topic,
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  const c: KcatConsumer = {
    child, lines: [], stderr: '',
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM') // kcat closes the consumer: final commit, LeaveGroup
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(hard)
    },
  }
  let partial = ''
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n')
    partial = parts.pop() ?? ''
    c.lines.push(...parts.filter((l) => l !== ''))
  })
  child.stderr!.on('data', (d: Buffer) => { c.stderr += d.toString() })
  return c
}

describe('core/server groups: kcat balanced consumer (librdkafka)', () => {
  let tc: TestCluster
  const running: KcatConsumer[] = []
  before(async () => { tc = await startTestCluster({ nodes: 2 }) })
  after(async () => {
    for (const c of running) await c.stop()
    await tc.stop()
  })

  it('two kcat -G members split the partitions, commit, and a new member resumes after the commits', async () => {
    const topic = uniqueName('kcat-grp')
    const groupId = uniqueName('kcat-g')
    const kafka = tc.kafka('kcat-group-test')
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })
    const producer = kafka.producer()
    await producer.connect()
    const send = (from: number, n: number) => producer.send({ topic, acks: -1,
      messages: Array.from({ length: n }, (_, i) => ({ value: `r${from + i}`, partition: (from + i) % PARTITIONS })) })

    const a = kcatGroup(tc.brokers, groupId, topic)
    const b = kcatGroup(tc.brokers, groupId, topic)
    running.push(a, b)
    await waitFor('a stable group of two kcat members', async () => {
      const { groups: [g] } = await admin.describeGroups([groupId])
      return g.state === 'Stable' && g.members.length === 2 && g.members.every((m) => m.memberAssignment.length > 0)
    }, { timeoutMs: 30_000 })
    await send(0, 200)
    await waitFor('200 records consumed', () => a.lines.length + b.lines.length >= 200, { timeoutMs: 30_000 })
    const values = [...a.lines, ...b.lines].map((l) => l.split(':')[2])
    assert.equal(values.length, 200, 'nothing consumed twice')
    assert.equal(new Set(values).size, 200)
    assert.ok(a.lines.length > 0 && b.lines.length > 0, `both members consumed (a=${a.lines.length}, b=${b.lines.length})`)
    const partitionsOf = (c: KcatConsumer) => new Set(c.lines.map((l) => l.split(':')[0]))
    const pa = partitionsOf(a)
    for (const p of partitionsOf(b)) assert.ok(!pa.has(p), `partition ${p} was consumed by one member only`)

    // kcat commits on its own timer and once more as it closes (SIGTERM).
    await a.stop()
    await b.stop()
    assert.deepEqual(await committed(kafka, groupId, topic), [50, 50, 50, 50], 'commits at the end of every partition')
    await send(200, 40)
    const c = kcatGroup(tc.brokers, groupId, topic)
    running.push(c)
    await waitFor('the 40 new records', () => c.lines.length >= 40, { timeoutMs: 30_000 })
    await c.stop()
    assert.equal(c.lines.length, 40, 'resumed after the committed offsets')
    assert.deepEqual(c.lines.map((l) => Number(l.split(':')[1])).sort((x, y) => x - y)[0], 50)
    assert.deepEqual(await committed(kafka, groupId, topic), [60, 60, 60, 60])
    await producer.disconnect()
    await admin.disconnect()
  })

  it('a static member (group.instance.id) that crashes and restarts takes its partitions back without a rebalance', async () => {
    const topic = uniqueName('kcat-static')
    const groupId = uniqueName('kcat-s')
    const kafka = tc.kafka('kcat-static-test')
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })
    const staticArgs = ['-X', 'group.instance.id=static-a']
    const a = kcatGroup(tc.brokers, groupId, topic, staticArgs)
    const b = kcatGroup(tc.brokers, groupId, topic)
    running.push(a, b)
    await waitFor('a stable group of two', async () => {
      const { groups: [g] } = await admin.describeGroups([groupId])
      // Stable on the broker is not enough: a member may not have printed its latest assignment yet.
      return g.state === 'Stable' && g.members.length === 2 && settled(a, b)
    }, { timeoutMs: 30_000 })
    const before = await admin.describeGroups([groupId])
    const bRebalances = assignments(b).length
    const aPartitions = currentAssignment(a)

    await a.kill()
    const a2 = kcatGroup(tc.brokers, groupId, topic, staticArgs)
    running.push(a2)
    await waitFor('the restarted static member has its assignment', () => currentAssignment(a2), { timeoutMs: 30_000 })
    assert.equal(assignments(a2)[0], `assigned ${aPartitions}`, 'same partitions as before the crash, at its first assignment')
    const { groups: [g] } = await admin.describeGroups([groupId])
    assert.equal(g.state, 'Stable')
    const oldIds = new Set(before.groups[0].members.map((m) => m.memberId))
    assert.equal(g.members.filter((m) => oldIds.has(m.memberId)).length, 1, 'the static member got a new member id, the dynamic one kept its own')
    // Records produced now reach both members; the dynamic one never had to rebalance.
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 40 }, (_, i) => ({ value: `s${i}`, partition: i % PARTITIONS })) })
    await producer.disconnect()
    await waitFor('40 records', () => a2.lines.length + b.lines.length >= 40, { timeoutMs: 30_000 })
    assert.equal(a2.lines.length + b.lines.length, 40)
    assert.equal(assignments(b).length, bRebalances, 'no rebalance for the dynamic member')
    await a2.stop()
    await b.stop()
    await admin.disconnect()
  })
})
