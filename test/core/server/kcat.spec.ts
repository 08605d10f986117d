// librdkafka (kcat) against the embedded broker: metadata, produce with every codec, consume to
// the end, and offsets for times.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { fetchBatches } from './read-back'

const KCAT = '/usr/bin/kcat'

function kcat(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(KCAT, args, { timeout: 30000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`))
      else resolve({ stdout, stderr })
    })
    if (input !== undefined) child.stdin!.end(input)
  })
}

describe('core/server kcat (librdkafka)', () => {
  let tc: TestCluster
  before(async () => { tc = await startTestCluster({ nodes: 3 }) })
  after(async () => { await tc.stop() })

  it('-L lists the three brokers and a topic with leaders spread over them', async () => {
    const topic = uniqueName('kcat-meta')
    const admin = tc.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] })
    await admin.disconnect()
    const { stdout } = await kcat(['-b', tc.brokers, '-L', '-J', '-t', topic])
    const md = JSON.parse(stdout) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: { partition: number; leader: number }[] }[] }
    assert.deepEqual(md.brokers.map((b) => b.id).sort(), [0, 1, 2])
    const t = md.topics.find((x) => x.topic === topic)!
    assert.equal(t.partitions.length, 6)
    const perLeader = new Map<number, number>()
    for (const p of t.partitions) perLeader.set(p.leader, (perLeader.get(p.leader) ?? 0) + 1)
    assert.deepEqual([...perLeader.values()], [2, 2, 2])
  })

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`-P -z ${codec} then -C -e reads every line back in order`, async () => {
      const topic = uniqueName(`kcat-${codec}`)
      const lines = Array.from({ length: 500 }, (_, i) => `${codec}-line-${i}-${'x'.repeat(i % 40)}`)
      await kcat(['-b', tc.brokers, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'topic.request.required.acks=-1'], lines.join('\n') + '\n')
      const { stdout } = await kcat(['-b', tc.brokers, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q'])
      assert.deepEqual(stdout.split('\n').filter((l) => l !== ''), lines)
      const leader = tc.cluster.state.leaderFor(topic, 0)
      const node = tc.cluster.nodes.find((n) => n.nodeId === leader)!
      const batches = await fetchBatches(`${node.host}:${node.port}`, topic)
      const wanted = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]
      // librdkafka sends a batch uncompressed when compressing would not shrink it (a lone short
      // first line, say); every other batch must be stored with the codec it was sent with.
      assert.ok(batches.every((b) => b.compression === wanted || b.compression === 0), `only codec ${wanted} or none: ${batches.map((b) => b.compression).join(',')}`)
      const compressed = batches.filter((b) => b.compression === wanted).reduce((n, b) => n + b.records.length, 0)
      assert.ok(compressed >= lines.length * 0.9, `${compressed} of ${lines.length} records stored with codec ${wanted}`)
    })
  }

  it('-Q gives the offset for a timestamp', async () => {
    const topic = uniqueName('kcat-q')
    const producer = tc.kafka().producer()
    await producer.connect()
    const base = Date.now() - 60_000
    await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `m${i}`, timestamp: String(base + i * 1000) })) })
    await producer.disconnect()
    const { stdout } = await kcat(['-b', tc.brokers, '-Q', '-t', `${topic}:0:${base + 2500}`])
    assert.match(stdout, new RegExp(`${topic} \\[0\\] offset 3`))
  })
})
