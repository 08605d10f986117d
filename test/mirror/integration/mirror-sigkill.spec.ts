// The dedicated `godwit mirror` process is killed with SIGKILL while a producer writes, then
// restarted with the same file. It resumes past the records the target already acknowledged
// (their downstream offsets are committed with the source offsets; exact-resume.ts verifies them
// against the source), so every partition holds exactly the source sequence: nothing lost, no
// duplicate. The duplicates and the records the restart skipped are printed. When a foreign record
// lands on the remote partition while the mirror is down, the check fails and that partition
// resumes at-least-once (nothing lost) with a warning.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { decodeOffsetSync } from '../../../mirror/formats'
import { OffsetTranslator } from '../../../mirror/offsets'
import { mm2Props, readAll, type Seen } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')
const TOTAL = 5000
const PARTITIONS = 3

interface MirrorProcess { child: ChildProcess; exited: Promise<number | null>; stderr: () => string }

function startMirrorProcess(file: string, level = 'warn'): MirrorProcess {
  const child = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: level } })
  let stderr = ''
  child.stdout!.resume()
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString('utf8') })
  return { child, exited: new Promise((resolve) => child.on('close', resolve)), stderr: () => stderr }
}

/** The pino lines of a child whose `msg` contains `text`. */
function logLines(stderr: string, text: string): Array<Record<string, unknown>> {
  return stderr.split('\n').filter((l) => l.includes(text)).map((l) => JSON.parse(l) as Record<string, unknown>)
}

async function highWater(kafka: ReturnType<TestCluster['kafka']>, topic: string): Promise<number> {
  const admin = kafka.admin()
  await admin.connect()
  try { return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0) } finally { await admin.disconnect() }
}

/** Values of one partition, as sequence numbers (r17 -> 17). */
function sequence(got: Seen[], p: number): number[] {
  return got.filter((r) => r.partition === p && r.value!.startsWith('r')).map((r) => Number(r.value!.slice(1)))
}

const expected = (p: number): number[] => Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % PARTITIONS === p)

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

  /**
   * Mirrors TOTAL records of a new topic, SIGKILLs the mirror once part of them are across,
   * calls `whileDown`, restarts it (info logs) and returns everything on the remote topic.
   */
  async function killAndResume(name: string, whileDown: (remote: string) => Promise<number>): Promise<{ topic: string; got: Seen[]; stderr: string; producedAtKill: number; copied: number }> {
    const topic = uniqueName(name)
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
    await admin.disconnect()
    const file = path.join(temp.dir, `${topic}.properties`)
    const props = mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': topic, 'B->A.enabled': 'false' })
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')

    const first = startMirrorProcess(file)
    children.push(first.child)
    const producer = a.kafka().producer()
    await producer.connect()
    const remote = `A.${topic}`
    // About 1,000 records a second in small sends, so the kill lands while the producer writes.
    let produced = 0
    const writing = (async () => {
      for (let i = 0; i < TOTAL; i += 50) {
        await producer.send({ topic, messages: Array.from({ length: 50 }, (_, j) => ({ partition: (i + j) % PARTITIONS, value: `r${i + j}` })) })
        produced = i + 50
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    const started = await waitFor('part of the stream on B', async () => {
      const n = await highWater(b.kafka(), remote).catch(() => 0)
      return n >= 1500 ? n : undefined
    }, { timeoutMs: 30000, intervalMs: 50 })
    // 600 more records (about 0.6 s of mirroring, past an offset.flush.interval.ms of 500), so the
    // kill usually lands after a source-offset commit, with acknowledged records past it.
    const copied = await waitFor('more of the stream on B', async () => {
      const n = await highWater(b.kafka(), remote)
      return n >= started + 600 ? n : undefined
    }, { timeoutMs: 30000, intervalMs: 50 })
    const producedAtKill = produced
    first.child.kill('SIGKILL')
    assert.equal(await first.exited, null)
    assert.ok(producedAtKill < TOTAL, `the kill came after the producer finished (${producedAtKill})`)
    const extra = await whileDown(remote)
    await writing
    await producer.disconnect()

    const second = startMirrorProcess(file, 'info')
    children.push(second.child)
    await waitFor('every record on B', async () => (await highWater(b.kafka(), remote).catch(() => 0)) >= TOTAL + extra, { timeoutMs: 60000, intervalMs: 100 })
    const total = await waitFor('B to stop growing', async () => {
      const before = await highWater(b.kafka(), remote)
      await new Promise((r) => setTimeout(r, 1000)) // a quiet second: nothing more is in flight
      return (await highWater(b.kafka(), remote)) === before ? before : undefined
    }, { timeoutMs: 20000 })
    const got = await readAll(b.kafka(), remote, total, 30000)
    second.child.kill('SIGTERM')
    assert.equal(await second.exited, 0)
    return { topic, got, stderr: second.stderr(), producedAtKill, copied }
  }

  it('resumes exactly: every partition holds the source sequence once, no duplicate, nothing lost', async () => {
    const { topic, got, stderr, producedAtKill, copied } = await killAndResume('kill', async () => 0)
    const seen = new Set(got.map((r) => r.value!))
    const lost = Array.from({ length: TOTAL }, (_, i) => `r${i}`).filter((v) => !seen.has(v))
    const duplicates = got.length - seen.size
    const skipped = logLines(stderr, 'exact resume: records already on the target').reduce((n, l) => n + Number(l.skipped), 0)
    console.log(`      duplicates after SIGKILL: ${duplicates} of ${TOTAL}; ${skipped} acknowledged records skipped on restart (killed with ${producedAtKill} produced, >= ${copied} on B)`)
    assert.deepEqual(lost, [], 'records lost')
    assert.equal(duplicates, 0, 'duplicates')
    assert.deepEqual(logLines(stderr, 'exact resume not possible'), [], 'no partition fell back to at-least-once')
    for (let p = 0; p < PARTITIONS; p++) assert.deepEqual(sequence(got, p), expected(p), `partition ${p} is the source sequence`)
    // Offset syncs (on A) still translate every upstream offset exactly across the skipped stretch:
    // with no duplicate, record u of a partition sits at downstream offset u.
    const syncsTopic = 'mm2-offset-syncs.B.internal'
    const translator = new OffsetTranslator()
    for (const r of await readAll(a.kafka(), syncsTopic, await highWater(a.kafka(), syncsTopic))) {
      const sync = decodeOffsetSync(r.rawKey, r.rawValue)
      if (sync.topic === topic) translator.add(sync)
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const n = expected(p).length
      const wrong = Array.from({ length: n + 1 }, (_, u) => u).filter((u) => translator.translate(topic, p, u) !== u)
      assert.deepEqual(wrong, [], `partition ${p}: upstream offsets that do not translate to their downstream offset`)
    }
  })

  it('falls back to at-least-once, losing nothing, when a foreign record lands on the remote partition while it is down', async () => {
    const { got, stderr } = await killAndResume('kill-foreign', async (remote) => {
      const producer = b.kafka().producer()
      await producer.connect()
      await producer.send({ topic: remote, messages: [{ partition: 1, value: 'foreign' }] })
      await producer.disconnect()
      return 1
    })
    const warnings = logLines(stderr, 'exact resume not possible')
    console.log(`      fallback: ${String(warnings[0]?.msg)}`)
    assert.deepEqual(warnings.map((w) => w.partition), [1], 'the warning names the partition with the foreign record')
    assert.equal(warnings[0].level, 40, 'logged as a warning')
    assert.equal(got.filter((r) => r.value === 'foreign').length, 1)
    for (let p = 0; p < PARTITIONS; p++) {
      const values = sequence(got, p)
      assert.deepEqual([...new Set(values)], expected(p), `partition ${p}: nothing lost, in order apart from a re-sent stretch`)
      // Partition 1 resumed from its last committed offset: at most one step back.
      const backs = values.flatMap((v, i) => (i > 0 && v <= values[i - 1] ? [i] : []))
      assert.ok(backs.length <= (p === 1 ? 1 : 0), `partition ${p} went back ${backs.length} times`)
    }
  })
})
