import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  fileConfigStore, fileOffsetStore, fileStatusStore, memoryConfigStore, memoryOffsetStore, offsetKey,
} from '../../../connectors/storage'
import { makeTempDir } from '../../helpers/temp-dir'

describe('connectors/storage: offset, config and status stores', () => {
  let temp: ReturnType<typeof makeTempDir>
  beforeEach(() => { temp = makeTempDir() })
  afterEach(() => temp.cleanup())

  it('keys source offsets as Connect does: ["<connector>", <partition>], whatever the key order', async () => {
    assert.equal(offsetKey('c', { b: 1, a: 'x' }), '["c",{"a":"x","b":1}]')
    const s = memoryOffsetStore()
    await s.start()
    await s.set('c', [{ partition: { file: 'a', shard: 1 }, offset: { position: 10 } }])
    assert.deepEqual(await s.get('c', [{ shard: 1, file: 'a' }, { file: 'b' }]), [{ position: 10 }, null])
    assert.deepEqual(await s.get('other', [{ file: 'a', shard: 1 }]), [null])
  })

  it('file offset store survives a restart; null deletes; list is per connector', async () => {
    const file = path.join(temp.dir, 'sub', 'offsets')
    const a = fileOffsetStore(file)
    await a.start()
    await a.set('c1', [{ partition: { f: 1 }, offset: { pos: 1 } }, { partition: { f: 2 }, offset: { pos: 2 } }])
    await a.set('c2', [{ partition: { f: 1 }, offset: { pos: 9 } }])
    await a.set('c1', [{ partition: { f: 2 }, offset: null }, { partition: { f: 1 }, offset: { pos: 5 } }])
    await a.stop()
    const b = fileOffsetStore(file)
    await b.start()
    assert.deepEqual(await b.list('c1'), [{ partition: { f: 1 }, offset: { pos: 5 } }])
    assert.deepEqual(await b.get('c2', [{ f: 1 }]), [{ pos: 9 }])
    assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).sort(), ['["c1",{"f":1}]', '["c2",{"f":1}]'])
    assert.equal(fs.existsSync(`${file}.tmp`), false)
  })

  it('a corrupt offset file is a clear error naming the file', async () => {
    const file = path.join(temp.dir, 'offsets')
    fs.writeFileSync(file, '\u0000\u0001garbage')
    await assert.rejects(fileOffsetStore(file).start(), (e: Error & { code?: string }) => e.code === 'CONNECT_OFFSET_STORE' && e.message.includes(file))
  })

  it('config store keeps configs, task configs and target states with Connect\'s keys', async () => {
    const file = path.join(temp.dir, 'configs')
    const a = fileConfigStore(file)
    await a.start()
    await a.putConnectorConfig('x', { name: 'x', 'connector.class': 'FileStreamSource' })
    await a.putTaskConfigs('x', [{ t: '0' }, { t: '1' }])
    await a.putTargetState('x', 'PAUSED')
    await a.putConnectorConfig('y', { name: 'y' }, 'STOPPED')
    await a.putConnectorConfig('gone', { name: 'gone' })
    await a.removeConnector('gone')
    await a.putTaskConfigs('x', [{ t: 'only' }])
    const b = fileConfigStore(file)
    await b.start()
    assert.deepEqual(b.connectors(), ['x', 'y'])
    assert.deepEqual(b.get('x'), { name: 'x', config: { name: 'x', 'connector.class': 'FileStreamSource' }, targetState: 'PAUSED', taskConfigs: [{ t: 'only' }] })
    assert.equal(b.get('y')?.targetState, 'STOPPED')
    const keys = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).sort()
    assert.deepEqual(keys, ['commit-x', 'connector-x', 'connector-y', 'target-state-x', 'target-state-y', 'task-x-0'])
  })

  it('config store ignores an incomplete task-config commit (tasks are regenerated)', async () => {
    const file = path.join(temp.dir, 'configs')
    fs.writeFileSync(file, JSON.stringify({ 'connector-x': '{"properties":{"name":"x"}}', 'task-x-0': '{"properties":{}}', 'commit-x': '{"tasks":2}' }))
    const s = fileConfigStore(file)
    await s.start()
    assert.deepEqual(s.get('x')?.taskConfigs, [])
    assert.equal(s.get('x')?.targetState, 'STARTED')
  })

  it('status store round-trips connector and task statuses, and deletes them', async () => {
    const file = path.join(temp.dir, 'status')
    const a = fileStatusStore(file)
    await a.start()
    await a.putConnector({ connector: 'my-conn', state: 'RUNNING', workerId: 'w:1', generation: 1 })
    await a.putTask({ connector: 'my-conn', task: 0, state: 'FAILED', trace: 'Error: boom', workerId: 'w:1', generation: 2 })
    await a.putTask({ connector: 'my-conn', task: 1, state: 'RUNNING', workerId: 'w:1', generation: 3 })
    await a.deleteTask('my-conn', 1)
    const b = fileStatusStore(file)
    await b.start()
    assert.deepEqual(b.getConnector('my-conn'), { connector: 'my-conn', state: 'RUNNING', trace: undefined, workerId: 'w:1', generation: 1 })
    assert.deepEqual(b.getTasks('my-conn'), [{ connector: 'my-conn', task: 0, state: 'FAILED', trace: 'Error: boom', workerId: 'w:1', generation: 2 }])
    assert.deepEqual(JSON.parse(JSON.parse(fs.readFileSync(file, 'utf8'))['status-task-my-conn-0']), { state: 'FAILED', worker_id: 'w:1', generation: 2, trace: 'Error: boom' })
    await b.deleteConnector('my-conn')
    assert.equal(b.getConnector('my-conn'), undefined)
    assert.deepEqual(b.getTasks('my-conn'), [])
  })

  it('memory config store returns copies (callers cannot mutate the store)', async () => {
    const s = memoryConfigStore()
    await s.start()
    await s.putConnectorConfig('x', { a: '1' })
    s.get('x')!.config.a = 'changed'
    assert.equal(s.get('x')!.config.a, '1')
  })
})
