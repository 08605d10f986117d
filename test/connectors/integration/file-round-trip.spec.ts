import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { rest } from '../connect-helpers'
import { spawnStandalone, writeProps, type StandaloneProcess } from './standalone-process'

describe('connectors/integration: file source -> topic -> file sink', () => {
  let cluster: TestCluster
  let temp: ReturnType<typeof makeTempDir>
  let proc: StandaloneProcess | undefined
  before(async () => { cluster = await startTestCluster(); temp = makeTempDir() })
  after(async () => {
    if (proc !== undefined && proc.child.exitCode === null) { proc.child.kill('SIGKILL'); await proc.exited }
    await cluster?.stop()
    temp?.cleanup()
  })

  it('copies 100,000 lines byte for byte across a worker restart in the middle', async function () {
    this.timeout(120000)
    const topic = uniqueName('round-trip')
    const input = path.join(temp.dir, 'input.txt')
    const output = path.join(temp.dir, 'output.txt')
    // Varied lengths and bytes (UTF-8, tabs, empty lines) so any reordering or loss shows.
    const lines = Array.from({ length: 100000 }, (_, i) => (i % 997 === 0 ? '' : `${i}\tλ-${'abcdefghij'.repeat(i % 13)}-${i * 7919 % 10007}`))
    fs.writeFileSync(input, lines.join('\n') + '\n')
    const source = fs.readFileSync(input)

    const workerFile = writeProps(path.join(temp.dir, 'worker.properties'), {
      'bootstrap.servers': cluster.brokers, 'offset.storage.file.filename': path.join(temp.dir, 'connect.offsets'),
      'offset.flush.interval.ms': '1000', 'listeners': 'http://127.0.0.1:0',
    })
    const sourceFile = writeProps(path.join(temp.dir, 'source.properties'), { name: 'file-source', 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': '1000' })
    const sinkFile = writeProps(path.join(temp.dir, 'sink.properties'), { name: 'file-sink', 'connector.class': 'FileStreamSinkConnector', file: output, topics: topic })

    proc = await spawnStandalone([workerFile, sourceFile, sinkFile])
    const size = () => (fs.existsSync(output) ? fs.statSync(output).size : 0)
    await waitFor('the sink to be part-way', () => size() > 0, { intervalMs: 5, timeoutMs: 60000 })
    // Graceful stop (SIGTERM): what was written is committed, then the worker exits.
    proc.child.kill('SIGTERM')
    assert.equal(await proc.exited, 0, proc.output())
    const atStop = size()
    assert.ok(atStop < source.length, `restart must happen mid-copy (sink had ${atStop} of ${source.length} bytes)`)

    proc = await spawnStandalone([workerFile, sourceFile, sinkFile])
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
