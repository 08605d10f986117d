import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, withCluster } from '../connect-helpers'
import { writeProps, type StandaloneProcess } from './standalone-process'

describe('connectors/integration: connect-standalone killed with SIGKILL', () => {
  const env = withCluster()
  let proc: StandaloneProcess | undefined

  it('resumes from the committed source offset after a restart and loses no record', async function () {
    this.timeout(90000)
    const topic = uniqueName('kill')
    const input = path.join(env.dir, 'input.log')
    const offsets = path.join(env.dir, 'connect.offsets')
    const line = (i: number) => `event ${String(i).padStart(7, '0')} ${'x'.repeat(60)}`
    let written = 0
    const append = (n: number) => {
      fs.appendFileSync(input, Array.from({ length: n }, (_, j) => line(written + j)).join('\n') + '\n')
      written += n
    }
    append(5000)
    const workerFile = writeProps(path.join(env.dir, 'worker.properties'), {
      'bootstrap.servers': env.cluster.brokers, 'offset.storage.file.filename': offsets,
      'offset.flush.interval.ms': '100', 'listeners': 'http://127.0.0.1:0',
    })
    const sourceFile = writeProps(path.join(env.dir, 'source.properties'), {
      'name': 'log-source', 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'file': input, 'topic': topic, 'batch.size': '500',
    })
    proc = await env.spawn([workerFile, sourceFile])

    // Keep the file growing while the worker copies it, and kill it mid-stream.
    const committed = (): number => {
      try { return (Object.values(JSON.parse(fs.readFileSync(offsets, 'utf8'))).map((v) => JSON.parse(v as string).position as number)[0]) ?? 0 } catch { return 0 }
    }
    await waitFor('a first offset commit', () => { append(1000); return committed() > 0 }, { intervalMs: 10, timeoutMs: 30000 })
    append(1000)
    proc.child.kill('SIGKILL')
    assert.equal(await proc.exited, 'SIGKILL')
    append(3000)
    const total = written

    const position = committed()
    const content = fs.readFileSync(input)
    let resumeLine = 0
    for (let p = 0; p < position; p++) if (content[p] === 0x0a) resumeLine++
    const admin = env.cluster.kafka().admin()
    await admin.connect()
    const beforeRestart = Number((await admin.fetchTopicOffsets(topic))[0].high)
    await admin.disconnect()
    assert.ok(resumeLine > 0 && resumeLine <= beforeRestart, `committed line ${resumeLine} must be acknowledged (topic has ${beforeRestart})`)
    assert.ok(beforeRestart < total, 'the kill must land mid-stream')

    proc = await env.spawn([workerFile, sourceFile])
    const expected = beforeRestart + (total - resumeLine)
    const records = await consumeAll(env.cluster, topic, expected, 60000)
    const values = records.sort((a, b) => a.offset - b.offset).map((r) => r.value!.toString())
    // Before the kill: lines 0..beforeRestart-1. After: exactly from the committed line to the end.
    for (let i = 0; i < beforeRestart; i++) assert.equal(values[i], line(i))
    for (let i = resumeLine; i < total; i++) assert.equal(values[beforeRestart + i - resumeLine], line(i), `record ${beforeRestart + i - resumeLine}`)
    assert.equal(values.length, expected)
    await waitFor('final offset committed', () => committed() === content.length, { timeoutMs: 10000 })
    proc.child.kill('SIGTERM')
    assert.equal(await proc.exited, 0)
  })
})
