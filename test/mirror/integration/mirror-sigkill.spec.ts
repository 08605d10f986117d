// The dedicated `godwit mirror` process is killed with SIGKILL while a producer writes, then
// restarted with the same file: nothing is lost (at-least-once), the duplicates (records
// acknowledged by the target but not yet committed as source offsets) are counted and printed,
// and each partition stays in order apart from the re-sent stretch.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { mm2Props, readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')
const TOTAL = 5000
const PARTITIONS = 3

function startMirrorProcess(file: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
  child.stdout!.resume()
  child.stderr!.resume()
  return { child, exited: new Promise((resolve) => child.on('close', resolve)) }
}

async function highWater(kafka: ReturnType<TestCluster['kafka']>, topic: string): Promise<number> {
  const admin = kafka.admin()
  await admin.connect()
  try { return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0) } finally { await admin.disconnect() }
}

describe('mirror/integration godwit mirror killed with SIGKILL mid-stream', function () {
  this.timeout(120000)
  const temp = makeTempDir('godwit-mirror-kill-')
  let a: TestCluster
  let b: TestCluster
  const children: ChildProcess[] = []

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('loses nothing after a restart with the same file; duplicates are counted', async () => {
    const topic = uniqueName('kill')
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
    await admin.disconnect()
    const file = path.join(temp.dir, 'mm2.properties')
    const props = mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': topic, 'B->A.enabled': 'false' })
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')

    const first = startMirrorProcess(file)
    children.push(first.child)
    const producer = a.kafka().producer()
    await producer.connect()
    const remote = `A.${topic}`
    // The producer writes in small sends; the mirror is killed once part of the stream is across.
    // About 1,000 records a second, so the kill lands while the producer is still writing.
    let produced = 0
    const writing = (async () => {
      for (let i = 0; i < TOTAL; i += 50) {
        await producer.send({ topic, messages: Array.from({ length: 50 }, (_, j) => ({ partition: (i + j) % PARTITIONS, value: `r${i + j}` })) })
        produced = i + 50
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    const copied = await waitFor('part of the stream on B', async () => {
      const n = await highWater(b.kafka(), remote).catch(() => 0)
      return n >= 1500 ? n : undefined
    }, { timeoutMs: 30000, intervalMs: 50 })
    const producedAtKill = produced
    first.child.kill('SIGKILL')
    assert.equal(await first.exited, null)
    assert.ok(producedAtKill < TOTAL, `the kill came after the producer finished (${producedAtKill})`)
    await writing
    await producer.disconnect()

    const second = startMirrorProcess(file)
    children.push(second.child)
    await waitFor('every record on B', async () => (await highWater(b.kafka(), remote).catch(() => 0)) >= TOTAL, { timeoutMs: 60000, intervalMs: 100 })
    const total = await waitFor('B to stop growing', async () => {
      const before = await highWater(b.kafka(), remote)
      await new Promise((r) => setTimeout(r, 1000)) // a quiet second: nothing more is in flight
      return (await highWater(b.kafka(), remote)) === before ? before : undefined
    }, { timeoutMs: 20000 })
    const got = await readAll(b.kafka(), remote, total, 30000)
    second.child.kill('SIGTERM')
    assert.equal(await second.exited, 0)

    const seen = new Set(got.map((r) => r.value!))
    const lost = Array.from({ length: TOTAL }, (_, i) => `r${i}`).filter((v) => !seen.has(v))
    assert.deepEqual(lost, [], 'records lost')
    const duplicates = got.length - seen.size
    console.log(`      duplicates after SIGKILL: ${duplicates} of ${TOTAL} (killed with ${producedAtKill} produced, >= ${copied} on B)`)
    for (let p = 0; p < PARTITIONS; p++) {
      const values = got.filter((r) => r.partition === p).map((r) => Number(r.value!.slice(1)))
      // Each partition: an in-order run, then at most one step back (where the restarted mirror
      // resumed from its last committed offset), then in order again, ending at the last record.
      const backs = values.flatMap((v, i) => (i > 0 && v <= values[i - 1] ? [i] : []))
      assert.ok(backs.length <= 1, `partition ${p} went back ${backs.length} times`)
      for (const i of backs) assert.ok(values.slice(0, i).includes(values[i]), `partition ${p} re-sent a record never sent before`)
      const expected = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % PARTITIONS === p)
      assert.deepEqual([...new Set(values)], expected, `partition ${p} in order apart from the duplicated stretch`)
    }
  })
})
