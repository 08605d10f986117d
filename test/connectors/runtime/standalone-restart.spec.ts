import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { consumeAll, rest, startWorker } from '../connect-helpers'

describe('connectors/standalone: a restarted worker resumes where it left off', () => {
  let cluster: TestCluster
  let temp: ReturnType<typeof makeTempDir>
  before(async () => { cluster = await startTestCluster(); temp = makeTempDir() })
  after(async () => { await cluster?.stop(); temp?.cleanup() })

  it('keeps REST-created connectors, their target state and offsets (config.storage.file.filename)', async () => {
    const opts = { worker: { 'config.storage.file.filename': path.join(temp.dir, 'connect.configs') } }
    const topic = uniqueName('resume')
    const file = path.join(temp.dir, 'in.txt')
    fs.writeFileSync(file, 'one\ntwo\n')
    let w = await startWorker(cluster, temp.dir, opts)
    assert.equal((await rest(w.url, 'POST', '/connectors', { name: 'kept', config: { 'connector.class': 'FileStreamSource', file, topic } })).status, 201)
    assert.equal((await rest(w.url, 'POST', '/connectors', { name: 'parked', config: { 'connector.class': 'FileStreamSource', file, topic: `${topic}-parked` }, initial_state: 'STOPPED' })).status, 201)
    await consumeAll(cluster, topic, 2)
    await w.stop()

    fs.appendFileSync(file, 'three\n')
    w = await startWorker(cluster, temp.dir, opts)
    try {
      assert.deepEqual((await rest(w.url, 'GET', '/connectors')).body, ['kept', 'parked'])
      await waitFor('kept RUNNING', async () => (await rest(w.url, 'GET', '/connectors/kept/status')).body.tasks[0]?.state === 'RUNNING')
      assert.equal((await rest(w.url, 'GET', '/connectors/parked/status')).body.connector.state, 'STOPPED')
      const values = (await consumeAll(cluster, topic, 3)).map((m) => m.value?.toString())
      assert.deepEqual(values, ['one', 'two', 'three'])
    } finally {
      await w.stop()
    }
  })
})
