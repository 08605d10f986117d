import { strict as assert } from 'node:assert'
import { ConfigError } from '../../../config'
import { splitWorkerProps } from '../../../connectors/distributed/distributed-mode'
import { timingsOf } from '../../../connectors/distributed/config'

describe('connectors/distributed: worker.properties for connect-distributed', () => {
  it('takes Connect\'s worker keys and the coordination keys from one file, with Godwit\'s defaults', () => {
    const { coordination, worker } = splitWorkerProps({
      'bootstrap.servers': 'k1:9092,k2:9092', 'group.id': 'connect-cluster', 'redis.url': 'rediss://r:6380',
      'offset.flush.interval.ms': '1000', 'producer.linger.ms': '5',
    })
    assert.deepEqual(worker['bootstrap.servers'], ['k1:9092', 'k2:9092'])
    assert.equal(worker['offset.flush.interval.ms'], 1000)
    assert.equal(coordination['group.id'], 'connect-cluster')
    assert.equal(coordination['redis.url'], 'rediss://r:6380')
    assert.deepEqual(timingsOf(coordination), { heartbeatMs: 1000, sessionMs: 6000, leaseMs: 6000 })
  })

  it('names a missing group.id, a bad value and a misspelt key, each with what to do', () => {
    assert.throws(() => splitWorkerProps({ 'bootstrap.servers': 'k:9092' }), (e: unknown) =>
      e instanceof ConfigError && /group\.id: is required/.test(e.message))
    assert.throws(() => splitWorkerProps({ 'group.id': 'g', 'session.timeout.ms': 'soon' }), (e: unknown) =>
      e instanceof ConfigError && /session\.timeout\.ms: expected an integer, got "soon"/.test(e.message))
    assert.throws(() => splitWorkerProps({ 'group.id': 'g', 'redis.urll': 'redis://x' }), (e: unknown) =>
      e instanceof ConfigError && /redis\.urll: unknown key \(did you mean 'redis\.url'\?\)/.test(e.message))
  })

  it('accepts Kafka\'s connect-distributed.properties with keys Godwit does not use (logged, not rejected)', () => {
    const { coordination, worker } = splitWorkerProps({
      'bootstrap.servers': 'localhost:9092', 'group.id': 'connect-cluster',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true',
      'offset.storage.topic': 'connect-offsets', 'offset.storage.replication.factor': '1',
      'config.storage.topic': 'connect-configs', 'config.storage.replication.factor': '1',
      'status.storage.topic': 'connect-status', 'status.storage.replication.factor': '1',
      'offset.flush.interval.ms': '10000', 'plugin.path': 'libs/connect-file-3.9.0.jar',
      'topic.creation.enable': 'true', 'exactly.once.source.support': 'disabled', 'connector.client.config.override.policy': 'All',
    })
    assert.equal(coordination['group.id'], 'connect-cluster')
    assert.equal(worker['offset.flush.interval.ms'], 10000)
  })
})
