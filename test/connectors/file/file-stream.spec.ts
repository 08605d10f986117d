import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { SinkRecord, SourceOffset, SourcePartition } from '../../../connectors/api'
import { FileStreamSinkTask } from '../../../connectors/file/file-stream-sink'
import { FileStreamSourceTask } from '../../../connectors/file/file-stream-source'
import { makeTempDir } from '../../helpers/temp-dir'

function sourceTask(committed: SourceOffset | null): FileStreamSourceTask {
  const t = new FileStreamSourceTask()
  t.initialize({
    connector: 'c', taskId: 0, config: {},
    offsetStorageReader: {
      offset: async (_p: SourcePartition) => committed,
      offsets: async (ps: SourcePartition[]) => ps.map(() => committed),
    },
  })
  return t
}

describe('connectors/file: FileStreamSource and FileStreamSink tasks', () => {
  let temp: ReturnType<typeof makeTempDir>
  beforeEach(() => { temp = makeTempDir() })
  afterEach(() => temp.cleanup())

  it('emits one record per line with {filename} / {position} and waits for a partial last line', async () => {
    const file = path.join(temp.dir, 'in.txt')
    fs.writeFileSync(file, 'alpha\r\n\nγάμμα\npart')
    const t = sourceTask(null)
    await t.start({ file, topic: 'out', 'batch.size': '10' })
    const recs = (await t.poll())!
    assert.deepEqual(recs.map((r) => r.value?.toString()), ['alpha', '', 'γάμμα'])
    assert.deepEqual(recs.map((r) => r.sourceOffset), [{ position: 7 }, { position: 8 }, { position: 8 + Buffer.byteLength('γάμμα\n') }])
    assert.deepEqual(recs[0].sourcePartition, { filename: file })
    assert.equal(recs[0].topic, 'out')
    assert.equal(recs[0].key, null)
    fs.appendFileSync(file, 'ial\n')
    assert.deepEqual((await t.poll())!.map((r) => r.value?.toString()), ['partial'])
    t.stop()
  })

  it('resumes at the committed byte position and honours batch.size', async () => {
    const file = path.join(temp.dir, 'in.txt')
    fs.writeFileSync(file, 'one\ntwo\nthree\nfour\n')
    const t = sourceTask({ position: 4 })
    await t.start({ file, topic: 'out', 'batch.size': '2' })
    assert.deepEqual((await t.poll())!.map((r) => r.value?.toString()), ['two', 'three'])
    assert.deepEqual((await t.poll())!.map((r) => r.value?.toString()), ['four'])
    t.stop()
  })

  it('waits for a missing file instead of failing', async function () {
    this.timeout(5000)
    const t = sourceTask(null)
    await t.start({ file: path.join(temp.dir, 'later.txt'), topic: 'out' })
    assert.equal(await t.poll(), null)
    t.stop()
  })

  it('sink appends values and newlines, "null" for null values, and flush makes them durable', async () => {
    const file = path.join(temp.dir, 'out.txt')
    fs.writeFileSync(file, 'existing\n')
    const t = new FileStreamSinkTask()
    const rec = (v: string | null, o: number): SinkRecord => ({ topic: 't', partition: 0, kafkaOffset: o, timestamp: 0, headers: [], key: null, value: v === null ? null : Buffer.from(v) })
    t.start({ file })
    await t.put([rec('a', 0), rec(null, 1), rec('ü', 2)])
    assert.deepEqual(await t.preCommit([{ topic: 't', partition: 0, offset: 3 }]), [{ topic: 't', partition: 0, offset: 3 }])
    t.stop()
    assert.equal(fs.readFileSync(file, 'utf8'), 'existing\na\nnull\nü\n')
  })
})
