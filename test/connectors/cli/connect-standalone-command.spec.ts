// `godwit connect-standalone` as a user runs it: Kafka's quickstart files, and start-up mistakes
// that must exit with a message naming the problem (never hang with the REST server up).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { uniqueName } from '../../helpers/unique'
import { consumeAll, rest, withCluster } from '../connect-helpers'
import { GODWIT_BIN, writeProps, type StandaloneProcess } from '../integration/standalone-process'

/** Runs the CLI to its exit; fails the test if it is still running after `timeoutMs`. */
async function runToExit(args: string[], timeoutMs = 15000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [GODWIT_BIN, 'connect-standalone', ...args], { env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`connect-standalone still running after ${timeoutMs} ms:\n${output}`)) }, timeoutMs)
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }) })
  })
}

describe('connectors/cli: godwit connect-standalone', () => {
  const env = withCluster()
  let proc: StandaloneProcess | undefined

  it('runs Kafka quickstart files unchanged (converters, a Java plugin.path) and streams the file', async () => {
    const topic = uniqueName('quickstart')
    const input = path.join(env.dir, 'test.txt')
    fs.writeFileSync(input, 'foo\nbar\n')
    const worker = path.join(env.dir, 'connect-standalone.properties')
    fs.writeFileSync(worker, [
      `bootstrap.servers=${env.cluster.brokers}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable=true',
      'value.converter.schemas.enable=true',
      `offset.storage.file.filename=${path.join(env.dir, 'connect.offsets')}`,
      'offset.flush.interval.ms=10000',
      'plugin.path=libs/connect-file-3.9.0.jar',
      'listeners=http://127.0.0.1:0',
    ].join('\n') + '\n')
    const source = writeProps(path.join(env.dir, 'connect-file-source.properties'), { 'name': 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '1', 'file': input, 'topic': topic })
    proc = await env.spawn([worker, source])
    const got = await consumeAll(env.cluster, topic, 2)
    assert.deepEqual(got.map((r) => r.value?.toString()), ['foo', 'bar'])
    assert.deepEqual((await rest(proc.url, 'GET', '/connectors')).body, ['local-file-source'])
    proc.child.kill('SIGTERM')
    assert.equal(await proc.exited, 0)
  })

  it('exits naming the file when a connector file has no name=', async () => {
    const worker = writeProps(path.join(env.dir, 'w-noname.properties'), { 'bootstrap.servers': env.cluster.brokers, 'listeners': 'http://127.0.0.1:0' })
    const source = writeProps(path.join(env.dir, 'noname.properties'), { 'connector.class': 'FileStreamSource' })
    const { code, output } = await runToExit([worker, source])
    assert.equal(code, 1)
    assert.match(output, /godwit: .*noname\.properties has no name=/)
    assert.doesNotMatch(output, /unexpected failure/)
  })

  it('exits (REST server closed) naming the connector when its configuration is invalid', async () => {
    const worker = writeProps(path.join(env.dir, 'w-bad.properties'), { 'bootstrap.servers': env.cluster.brokers, 'listeners': 'http://127.0.0.1:0' })
    const source = writeProps(path.join(env.dir, 'bad.properties'), { 'name': 'bad-source', 'connector.class': 'FileStreamSorce' })
    const { code, output } = await runToExit([worker, source])
    assert.equal(code, 1)
    assert.match(output, /godwit: Failed to create connector bad-source: .*did you mean 'FileStreamSource'/s)
  })

  it('exits with what to do when the REST port is taken', async () => {
    const busy = http.createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    try {
      const port = (busy.address() as AddressInfo).port
      const worker = writeProps(path.join(env.dir, 'w-busy.properties'), { 'bootstrap.servers': env.cluster.brokers, 'listeners': `http://127.0.0.1:${port}` })
      const { code, output } = await runToExit([worker])
      assert.equal(code, 1)
      assert.match(output, new RegExp(`godwit: REST listener 127\\.0\\.0\\.1:${port} is already in use .*set listeners=http://host:port`))
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()))
    }
  })
})
