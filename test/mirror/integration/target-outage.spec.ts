// The target cluster stops for a while (same data dir, same port when it comes back) while the
// source keeps receiving records: the dedicated mirror retries, then delivers every record, in
// order per partition. The mirror runs as the `godwit mirror` CLI so its warn-level log (the only
// retry status the dedicated driver exposes) can be read.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { startCluster, type EmbeddedCluster } from '../../../core/server/embedded-cluster'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { mm2Props, readAll } from './mirror-helpers'

const godwit = path.join(__dirname, '../../../bin/godwit.js')
const BROKER = { 'group.initial.rebalance.delay.ms': '0' }

describe('mirror/integration the target cluster goes away and comes back', function () {
  this.timeout(120000)
  const temp = makeTempDir('godwit-mirror-outage-')
  let a: TestCluster | undefined
  let b: EmbeddedCluster | undefined
  let child: ChildProcess | undefined

  after(async () => {
    child?.kill('SIGKILL')
    await Promise.all([a?.stop(), b?.stop()])
    temp.cleanup()
  })

  it('retries while the target is down, then delivers every record in order per partition', async () => {
    const dataDir = path.join(temp.dir, 'b')
    a = await startTestCluster()
    b = await startCluster({ dataDir, ports: [0], config: BROKER })
    const port = b.nodes[0].port
    const bKafka = new Kafka({ clientId: 'check', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, connectionTimeout: 10000, retry: { retries: 8, initialRetryTime: 50 } })
    const topic = uniqueName('outage')
    const admin = a.kafka().admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })
    await admin.disconnect()
    const producer = a.kafka().producer()
    await producer.connect()
    let sent = 0
    const produce = async (n: number): Promise<void> => {
      for (let done = 0; done < n; done += 100) {
        await producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ partition: (sent + i) % 3, value: `r${sent + i}` })) })
        sent += 100
      }
    }
    await produce(500)

    const file = path.join(temp.dir, 'mm2.properties')
    const props = mm2Props(a.bootstrapServers, [`127.0.0.1:${port}`], { 'A->B.topics': topic, 'B->A.enabled': 'false' })
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n')
    let stderr = ''
    const c = spawn(process.execPath, [godwit, 'mirror', file], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
    child = c
    c.stdout!.resume()
    c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    await readAll(bKafka, `A.${topic}`, 500, 30000)

    await b.stop()
    b = undefined
    await produce(1500)
    await waitFor('the mirror to log that it is retrying', () => /retrying/.test(stderr), { timeoutMs: 30000 })
    const retries = stderr.split('\n').filter((l) => /retrying/.test(l))
    assert.ok(retries.length > 0)

    b = await startCluster({ dataDir, ports: [port], config: BROKER })
    await produce(500)
    const got = await readAll(bKafka, `A.${topic}`, sent, 60000)
    // Exactly the source's records, each partition in the order it was produced.
    const values = (p: number): string[] => got.filter((r) => r.partition === p).map((r) => r.value!)
    for (let p = 0; p < 3; p++) {
      const want = Array.from({ length: sent }, (_, i) => i).filter((i) => i % 3 === p).map((i) => `r${i}`)
      assert.deepEqual(values(p), want, `partition ${p}`)
    }
    assert.equal(c.exitCode, null, 'the mirror process is still running')
  })
})
