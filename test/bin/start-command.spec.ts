// `godwit start` as a user runs it: a child process with two embedded clusters and the
// primary->backup flow; records produced to primary arrive on backup; a restart on the same data
// dir keeps both the original and the copy.
import * as assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { makeTempDir } from '../helpers/temp-dir'
import { freePort } from '../helpers/redis'
import { waitFor } from '../helpers/wait-for'
import { uniqueName } from '../helpers/unique'

const GODWIT = path.resolve(__dirname, '..', '..', 'bin', 'godwit.js')
const BUNDLED = path.resolve(__dirname, '..', '..', '..', 'examples', 'embedded-mm2.properties')

function startGodwit(file: string, dataDir: string): { child: ChildProcess; stdout: () => string } {
  let out = ''
  const child = spawn(process.execPath, [GODWIT, 'start', file, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.resume()
  return { child, stdout: () => out }
}

async function stopGodwit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGINT')
  return exited
}

async function readAll(brokers: string, topic: string, expected: number): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'start-test-reader', brokers: [brokers], logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({ groupId: uniqueName('start-reader') })
  const seen: string[] = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value!.toString()) } })
    await waitFor(`${expected} records on ${topic}`, () => seen.length >= expected, { timeoutMs: 30000 })
  } finally {
    await consumer.disconnect()
  }
  return seen
}

describe('bin/start-command (godwit start)', function () {
  this.timeout(120000)
  const temp = makeTempDir('godwit-start-')
  after(() => temp.cleanup())

  it('replicates primary -> backup on the bundled config, and keeps data across a restart', async () => {
    const [p1, p2] = [await freePort(), await freePort()]
    const file = path.join(temp.dir, 'mm2.properties')
    const bundled = fs.readFileSync(BUNDLED, 'utf8')
    // Same file, on free ports, discovering the new topic within a second.
    fs.writeFileSync(file, bundled.replace('127.0.0.1:9092', `127.0.0.1:${p1}`).replace('127.0.0.1:9192', `127.0.0.1:${p2}`)
      .replace('refresh.topics.interval.seconds = 5', 'refresh.topics.interval.seconds = 1'))
    const dataDir = path.join(temp.dir, 'data')
    const topic = uniqueName('orders')

    let run = startGodwit(file, dataDir)
    const t0 = Date.now()
    const mark = (what: string): void => { if (process.env.GODWIT_TEST_TIMING) process.stderr.write(`${what} at ${Date.now() - t0} ms\n`) }
    try {
      await waitFor('the banner', () => run.stdout().includes('Godwit is running.'), { timeoutMs: 30000 })
      assert.match(run.stdout(), new RegExp(`primary\\s+Kafka cluster on 127\\.0\\.0\\.1:${p1}`))
      assert.match(run.stdout(), /replicating: primary->backup/)

      const kafka = new Kafka({ clientId: 'start-test', brokers: [`127.0.0.1:${p1}`], logLevel: logLevel.NOTHING })
      const producer = kafka.producer()
      await producer.connect()
      const values = Array.from({ length: 50 }, (_, i) => `record-${i}`)
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) })
      await producer.disconnect()
      mark('produced')

      assert.deepEqual(await readAll(`127.0.0.1:${p2}`, `primary.${topic}`, 50), values)
      mark('copy read')
    } finally {
      assert.equal(await stopGodwit(run.child), 0)
      mark('stopped')
    }

    run = startGodwit(file, dataDir)
    try {
      await waitFor('the banner after restart', () => run.stdout().includes('Godwit is running.'), { timeoutMs: 30000 })
      const copy = await readAll(`127.0.0.1:${p2}`, `primary.${topic}`, 50)
      assert.equal(copy.length, 50, 'no record copied twice after the restart')
      assert.equal((await readAll(`127.0.0.1:${p1}`, topic, 50)).length, 50)
    } finally {
      assert.equal(await stopGodwit(run.child), 0)
    }
  })

  it('refuses a file whose cluster has no host:port, naming the key', async () => {
    const file = path.join(temp.dir, 'bad.properties')
    fs.writeFileSync(file, 'clusters = a, b\na.bootstrap.servers = nowhere\nb.bootstrap.servers = 127.0.0.1:1\n')
    const child = spawn(process.execPath, [GODWIT, 'start', file, '--data-dir', path.join(temp.dir, 'bad')], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    assert.equal(code, 1)
    assert.match(err, /a\.bootstrap\.servers must be host:port for an embedded cluster, got "nowhere"/)
  })
})
