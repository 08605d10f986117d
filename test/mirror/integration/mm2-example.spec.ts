// MirrorMaker 2's example configuration (connect-mirror-maker.properties), unchanged apart from
// the bootstrap servers, runs end to end under `godwit mirror`: records written to A arrive on B.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { content, readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')

/** The example's settings and comment lines, only the two bootstrap lists filled in. */
function exampleFile(a: string, b: string): string {
  return `# Example MirrorMaker 2 settings for the dedicated mode (connect-mirror-maker).
# Run with: godwit mirror mm2.properties

# The aliases of the clusters taking part; every other key is scoped by one of them.
clusters = A, B

# Where to reach each cluster.
A.bootstrap.servers = ${a}
B.bootstrap.servers = ${b}

# Which directions replicate, and which topics (regular expressions) they take.
A->B.enabled = true
A->B.topics = .*

B->A.enabled = false
B->A.topics = .*

# Replication factor of the remote topics MirrorMaker creates.
replication.factor=1

# --- internal topics ---
# Replication factors of the internal topics (checkpoints, heartbeats, offset syncs, and the
# Connect offset, status and config stores). In production use more than 1, e.g. 3, for
# durability and availability.
checkpoints.topic.replication.factor=1
heartbeats.topic.replication.factor=1
offset-syncs.topic.replication.factor=1

offset.storage.replication.factor=1
status.storage.replication.factor=1
config.storage.replication.factor=1
`
}

describe('mirror/integration MM2 example configuration', function () {
  this.timeout(60000)
  const temp = makeTempDir('godwit-mm2-example-')
  let a: TestCluster
  let b: TestCluster
  let child: ChildProcess | undefined

  before(async () => { [a, b] = await Promise.all([startTestCluster(), startTestCluster()]) })
  after(async () => {
    child?.kill('SIGKILL')
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('replicates A->B with the example file as it is', async () => {
    const topic = uniqueName('example')
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })
    await admin.disconnect()
    const producer = a.kafka().producer()
    await producer.connect()
    await producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: `v${i}`, headers: { n: String(i) } })) })
    await producer.disconnect()

    const file = path.join(temp.dir, 'mm2.properties')
    fs.writeFileSync(file, exampleFile(a.brokers, b.brokers))
    let stdout = ''
    let stderr = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    child = c
    c.stdout!.on('data', (d: Buffer) => { stdout += d.toString() })
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const exited = new Promise<number | null>((resolve) => c.on('close', resolve))

    const [src, dst] = await Promise.all([readAll(a.kafka(), topic, 200), readAll(b.kafka(), `A.${topic}`, 200, 40000)])
    assert.equal(dst.length, 200)
    assert.deepEqual(content(dst), content(src))
    // Records flow before start-up ends; SIGTERM is handled once the running line is out.
    await waitFor('the running line', () => /running A->B/.test(stdout))
    c.kill('SIGTERM')
    assert.equal(await exited, 0)
    child = undefined
    assert.doesNotMatch(stderr, /unknown property|warning/)
  })
})
