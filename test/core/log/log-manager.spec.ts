import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ConfigError } from '../../../config/errors'
import { InvalidPartitionsError, InvalidTopicError, TopicExistsError, UnknownTopicOrPartitionError } from '../../../core/log'
import { makeTempDir } from '../../helpers/temp-dir'
import { waitFor } from '../../helpers/wait-for'
import { batch, FakeClock, openManager, withManager } from './log-helpers'

describe('core/log/log-manager', () => {
  it('creates topics in Kafka\'s layout and refuses bad names, duplicates and bad counts', async () => {
    await withManager(async (m, dir) => {
      const t = await m.createTopic('orders.v1_x-y', 3)
      assert.equal(t.topicId.length, 16)
      for (let p = 0; p < 3; p++) {
        const files = fs.readdirSync(path.join(dir, `orders.v1_x-y-${p}`))
        assert.ok(files.includes('00000000000000000000.log'))
        assert.match(fs.readFileSync(path.join(dir, `orders.v1_x-y-${p}`, 'partition.metadata'), 'utf8'), /^version: 0\ntopic_id: [A-Za-z0-9_-]{22}\n$/)
      }
      await assert.rejects(m.createTopic('orders.v1_x-y', 1), TopicExistsError)
      for (const bad of ['', '.', '..', 'a/b', 'white space', 'x'.repeat(250)]) await assert.rejects(m.createTopic(bad, 1), InvalidTopicError, bad)
      await assert.rejects(m.createTopic('zero', 0), InvalidPartitionsError)
      await assert.rejects(m.createTopic('badcfg', 1, { 'segment.bytes': 'lots', 'retention.msec': '1' }), (e: Error) => {
        assert.ok(e instanceof ConfigError)
        assert.match(e.message, /segment\.bytes/)
        assert.match(e.message, /retention\.msec.*did you mean 'retention\.ms'/)
        return true
      })
      assert.equal(m.topic('badcfg'), undefined)
      assert.deepEqual(m.listTopics(), ['orders.v1_x-y'])
    })
  })

  it('accepts Kafka\'s Long.MAX_VALUE for "unbounded" longs (as copied by MirrorMaker)', async () => {
    await withManager(async (m) => {
      const t = await m.createTopic('copied', 1, { 'flush.ms': '9223372036854775807', 'max.compaction.lag.ms': '9223372036854775807' })
      assert.equal(t.config['flush.ms'], Number.MAX_SAFE_INTEGER)
    })
  })

  it('grows partitions, alters configs at runtime, deletes topics', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      let m = await openManager(tmp.dir, clock, { defaults: { 'retention.ms': '1000' } })
      await m.createTopic('g', 2)
      await m.createPartitions('g', 5)
      assert.equal(m.topic('g')!.partitions.length, 5)
      await assert.rejects(m.createPartitions('g', 5), InvalidPartitionsError)
      await assert.rejects(m.createPartitions('nope', 9), UnknownTopicOrPartitionError)
      assert.equal(m.topic('g')!.config['retention.ms'], 1000)
      assert.equal(m.describeTopicConfig('g').find((e) => e.name === 'retention.ms')!.source, 'broker-default')
      const log = m.partition('g', 4)!
      for (let i = 0; i < 3; i++) await log.append(batch(2, { valueBytes: 200 }))
      assert.equal(log.segments.length, 1)
      await m.alterTopicConfig('g', { 'segment.bytes': '500' })
      assert.equal(log.config['segment.bytes'], 500, 'the running log sees the change')
      for (let i = 0; i < 3; i++) await log.append(batch(2, { valueBytes: 200 }))
      assert.ok(log.segments.length > 1)
      await assert.rejects(m.alterTopicConfig('g', { 'cleanup.policy': 'shred' }), ConfigError)
      assert.equal(m.topic('g')!.config['cleanup.policy'].join(), 'delete', 'a refused change leaves the config alone')
      await m.close()
      m = await openManager(tmp.dir, clock, { defaults: { 'retention.ms': '1000' } })
      assert.equal(m.topic('g')!.partitions.length, 5)
      assert.equal(m.topic('g')!.config['segment.bytes'], 500)
      assert.equal(m.partition('g', 4)!.logEndOffset, 12)
      await m.deleteTopic('g')
      assert.equal(m.topic('g'), undefined)
      assert.equal(fs.readdirSync(tmp.dir).some((n) => n.startsWith('g-') && !n.endsWith('-delete')), false)
      await m.createTopic('g', 1)
      assert.equal(m.partition('g', 0)!.logEndOffset, 0, 'a re-created topic starts empty')
      await m.close()
    } finally { tmp.cleanup() }
  })

  it('the background task applies retention on its own', async () => {
    await withManager(async (m, _dir, clock) => {
      await m.createTopic('bg', 1, { 'segment.bytes': '400', 'retention.ms': '1000' })
      const log = m.partition('bg', 0)!
      for (let i = 0; i < 10; i++) await log.append(batch(2, { ts: clock.now() - 10_000, valueBytes: 100 }))
      await log.flush()
      await waitFor('retention to run', () => log.logStartOffset > 0, { timeoutMs: 5000 })
    }, { retentionCheckIntervalMs: 20 })
  })
})
