// The `godwit broker` process: argument validation, listening lines, a clean stop on SIGTERM,
// and a SIGKILL during acks=-1 production losing no acknowledged record.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { fetchRecords } from './read-back'
import { GODWIT_BIN, startBrokerProcess } from './broker-process'

function runCli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [GODWIT_BIN, 'broker', ...args], { timeout: 20000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? -1, stderr })
    })
  })
}

describe('core/cli/broker-command', () => {
  it('rejects bad arguments with a message naming the problem', async () => {
    const unknown = await runCli(['--override', 'num.partition=3'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /--override num\.partition: unknown broker property \(did you mean 'num\.partitions'\?\)/)
    const nodes = await runCli(['--nodes', 'many'])
    assert.match(nodes.stderr, /godwit\.nodes: expected an integer, got "many"/)
    const listener = await runCli(['--listeners', 'http://127.0.0.1:1'])
    assert.match(listener.stderr, /listener HTTP has no entry in listener\.security\.protocol\.map/)
    const flag = await runCli(['--bogus'])
    assert.equal(flag.code, 1)
    assert.match(flag.stderr, /unknown option --bogus/)
    const file = await runCli(['/nonexistent/server.properties'])
    assert.match(file.stderr, /cannot read broker properties file \/nonexistent\/server\.properties/)
  })

  it('reads server.properties, prints one listening line per node and stops cleanly on SIGTERM', async () => {
    const tmp = makeTempDir()
    try {
      const props = path.join(tmp.dir, 'server.properties')
      fs.writeFileSync(props, `# a Kafka-style file\nlog.dirs=${path.join(tmp.dir, 'data')}\nlisteners=PLAINTEXT://127.0.0.1:0\nnum.partitions=2\nzookeeper.connect=ignored:2181\n`)
      const b = await startBrokerProcess([props, '--nodes', '2'])
      assert.equal(b.nodes.length, 2)
      assert.match(b.output(), /ignoring unsupported property zookeeper\.connect/)
      const kafka = new Kafka({ brokers: b.nodes, logLevel: logLevel.NOTHING })
      const admin = kafka.admin()
      await admin.connect()
      const topic = uniqueName('cli')
      await admin.createTopics({ topics: [{ topic }] })
      const md = await admin.fetchTopicMetadata({ topics: [topic] })
      assert.equal(md.topics[0].partitions.length, 2, 'num.partitions from the file')
      await admin.disconnect()
      b.child.kill('SIGTERM')
      assert.equal(await b.exited, 0)
      assert.match(b.output(), /godwit broker: stopped/)
      assert.ok(fs.existsSync(path.join(tmp.dir, 'data', '.kafka_cleanshutdown')), 'clean-shutdown marker left')
    } finally {
      tmp.cleanup()
    }
  })

  it('loses no acknowledged record when killed with SIGKILL during acks=-1 production', async () => {
    const tmp = makeTempDir()
    const dataDir = path.join(tmp.dir, 'data')
    const topic = uniqueName('crash')
    let b = await startBrokerProcess(['--data-dir', dataDir, '--listeners', 'PLAINTEXT://127.0.0.1:0'])
    try {
      const kafka = new Kafka({ brokers: b.nodes, logLevel: logLevel.NOTHING, retry: { retries: 0 } })
      const producer = kafka.producer({ allowAutoTopicCreation: true })
      await producer.connect()
      const acked: string[] = []
      let killed = false
      const producing = (async () => {
        for (let i = 0; !killed; i++) {
          const batch = Array.from({ length: 5 }, (_, j) => `r${i}-${j}`)
          try {
            await producer.send({ topic, acks: -1, messages: batch.map((value) => ({ value })) })
          } catch {
            return
          }
          if (!killed) acked.push(...batch)
        }
      })()
      let finished = false
      void producing.finally(() => { finished = true })
      while (acked.length < 300 && !finished) await new Promise((r) => setImmediate(r))
      assert.ok(acked.length >= 300, 'the producer kept producing until the kill')
      b.child.kill('SIGKILL')
      killed = true
      // A send that raced the kill may resolve after `killed`; those records were never counted.
      await b.exited
      await producing
      await producer.disconnect().catch(() => undefined)
      assert.ok(!fs.existsSync(path.join(dataDir, '.kafka_cleanshutdown')))

      b = await startBrokerProcess(['--data-dir', dataDir, '--listeners', 'PLAINTEXT://127.0.0.1:0'])
      const values = (await fetchRecords(b.nodes[0], topic)).map((r) => r.value!.toString())
      assert.ok(values.length >= acked.length, `${values.length} records after restart, ${acked.length} acknowledged`)
      assert.deepEqual(values.slice(0, acked.length), acked, 'every acknowledged record, in order')
      b.child.kill('SIGTERM')
      await b.exited
    } finally {
      if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL')
      tmp.cleanup()
    }
  })
})
