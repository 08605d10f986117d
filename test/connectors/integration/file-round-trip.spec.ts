import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest, withCluster } from '../connect-helpers'
import { writeProps, type StandaloneProcess } from './standalone-process'

describe('connectors/integration: file source -> topic -> file sink', () => {
  const env = withCluster()
  let proc: StandaloneProcess | undefined

  it('copies 100,000 lines byte for byte across a worker restart in the middle', async function () {
    this.timeout(120000)
    const topic = uniqueName('round-trip')
    const input = path.join(env.dir, 'input.txt')
    const output = path.join(env.dir, 'output.txt')
    // Varied lengths and bytes (UTF-8, tabs, empty lines) so any reordering or loss shows.
    const lines = Array.from({ length: 100000 }, (_, i) => (i % 997 === 0 ? '' : `${i}\tλ-${'abcdefghij'.repeat(i % 13)}-${i * 7919 % 10007}`))
    fs.writeFileSync(input, lines.join('\n') + '\n')
    const source = fs.readFileSync(input)

    const workerFile = writeProps(path.join(env.dir, 'worker.properties'), {
      'bootstrap.servers': env.cluster.brokers, 'offset.storage.file.filename': path.join(env.dir, 'connect.offsets'),
      'offset.flush.interval.ms': '1000', 'listeners': 'http://127.0.0.1:0',
    })
    const sourceFile = writeProps(path.join(env.dir, 'source.properties'), { name: 'file-source', 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': '1000' })
    const sinkFile = writeProps(path.join(env.dir, 'sink.properties'), { name: 'file-sink', 'connector.class': 'FileStreamSinkConnector', file: output, topics: topic })

    proc = await env.spawn([workerFile, sourceFile, sinkFile])
    const size = () => (fs.existsSync(output) ? fs.statSync(output).size : 0)
    await waitFor('the sink to be part-way', () => size() > 0, { intervalMs: 5, timeoutMs: 60000 })
    // Graceful stop (SIGTERM): what was written is committed, then the worker exits.
    proc.child.kill('SIGTERM')
    assert.equal(await proc.exited, 0, proc.output())
    const atStop = size()
    assert.ok(atStop < source.length, `restart must happen mid-copy (sink had ${atStop} of ${source.length} bytes)`)

    proc = await env.spawn([workerFile, sourceFile, sinkFile])
    await waitFor('the sink to catch up', () => size() >= source.length, { timeoutMs: 90000 })
    const status = (await rest(proc.url, 'GET', '/connectors?expand=status')).body
    assert.equal(status['file-sink'].status.tasks[0].state, 'RUNNING')
    proc.child.kill('SIGTERM')
    assert.equal(await proc.exited, 0)
    const copied = fs.readFileSync(output)
    assert.equal(copied.length, source.length)
    assert.equal(createHash('sha256').update(copied).digest('hex'), createHash('sha256').update(source).digest('hex'))
    assert.ok(copied.equals(source))
  })
})
