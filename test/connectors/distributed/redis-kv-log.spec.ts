import { strict as assert } from 'node:assert'
import Redis from 'ioredis'
import { redisConfigStore, redisOffsetStore, redisStatusStore } from '../../../connectors/distributed/redis-kv-log'
import { startRedis, type TestRedis } from '../../helpers/redis'
import { uniqueName } from '../../helpers/unique'

describe('connectors/distributed/redis-kv-log: the runtime\'s stores on Redis', () => {
  let redis: TestRedis
  let client: Redis
  before(async () => { redis = await startRedis(); client = new Redis(redis.url) })
  after(async () => { client.disconnect(); await redis.stop() })

  it('keeps configs, task configs, target states, statuses and offsets across a fresh start', async () => {
    const ns = `godwit:${uniqueName('ns')}`
    const configs = redisConfigStore(client, ns)
    const statuses = redisStatusStore(client, ns)
    const offsets = redisOffsetStore(client, ns)
    await Promise.all([configs.start(), statuses.start(), offsets.start()])
    await configs.putConnectorConfig('c', { 'connector.class': 'FileStreamSource', file: '/x' }, 'PAUSED')
    await configs.putTaskConfigs('c', [{ a: '1' }, { a: '2' }])
    await statuses.putTask({ connector: 'c', task: 1, state: 'FAILED', workerId: 'w1', trace: 'boom', generation: 3 })
    await offsets.set('c', [{ partition: { file: '/x' }, offset: { position: 42 } }, { partition: { file: '/y' }, offset: { position: 7 } }])
    await offsets.set('c', [{ partition: { file: '/y' }, offset: null }])

    const configs2 = redisConfigStore(client, ns)
    const statuses2 = redisStatusStore(client, ns)
    const offsets2 = redisOffsetStore(client, ns)
    await Promise.all([configs2.start(), statuses2.start(), offsets2.start()])
    assert.deepEqual(configs2.get('c'), { name: 'c', config: { 'connector.class': 'FileStreamSource', file: '/x' }, targetState: 'PAUSED', taskConfigs: [{ a: '1' }, { a: '2' }] })
    assert.deepEqual(statuses2.getTask('c', 1), { connector: 'c', task: 1, state: 'FAILED', workerId: 'w1', trace: 'boom', generation: 3 })
    assert.deepEqual(await offsets2.get('c', [{ file: '/x' }, { file: '/y' }]), [{ position: 42 }, null])
    // Connect's key layout, so the data is readable by anything that knows Connect's topics.
    assert.deepEqual(JSON.parse((await client.hget(`${ns}:connect-configs`, 'commit-c'))!), { tasks: 2 })
  })
})
