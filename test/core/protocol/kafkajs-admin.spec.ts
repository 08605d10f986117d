import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { kafkajsRequestToOurs, ourResponseToKafkajs, range, throttle } from './helpers/kafkajs-oracle'

describe('core/protocol vs kafkajs: admin and producer-id APIs', () => {
  for (const v of range(0, 3)) {
    it(`CreateTopics v${v}`, async () => {
      const body = await kafkajsRequestToOurs('createTopics', v, ApiKey.CreateTopics, {
        timeout: 5000, validateOnly: true,
        topics: [
          { topic: 'a', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
          { topic: 'b', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
        ],
      })
      assert.deepEqual(body, {
        topics: [
          { name: 'a', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] },
          { name: 'b', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }], configs: [] },
        ],
        timeoutMs: 5000, validateOnly: v >= 1,
      })
      const decoded = await ourResponseToKafkajs('createTopics', v, ApiKey.CreateTopics, {
        throttleTimeMs: 7, topics: [{ name: 'b', errorCode: 36, errorMessage: 'Topic b already exists.' }, { name: 'a', errorCode: 0, errorMessage: null }],
      })
      const topicErrors = v >= 1
        ? [{ topic: 'a', errorCode: 0, errorMessage: null }, { topic: 'b', errorCode: 36, errorMessage: 'Topic b already exists.' }]
        : [{ topic: 'a', errorCode: 0 }, { topic: 'b', errorCode: 36 }]
      assert.deepEqual(decoded, v >= 2 ? { ...throttle(v, 3, 7), topicErrors } : { topicErrors })
    })
  }

  for (const v of range(0, 1)) {
    it(`DeleteTopics v${v}`, async () => {
      const body = await kafkajsRequestToOurs('deleteTopics', v, ApiKey.DeleteTopics, { topics: ['a', 'b'], timeout: 3000 })
      assert.deepEqual(body, { topicNames: ['a', 'b'], timeoutMs: 3000 })
      const decoded = await ourResponseToKafkajs('deleteTopics', v, ApiKey.DeleteTopics, { throttleTimeMs: 2, responses: [{ name: 'a', errorCode: 0 }, { name: 'b', errorCode: 3 }] })
      const topicErrors = [{ topic: 'a', errorCode: 0 }, { topic: 'b', errorCode: 3 }]
      assert.deepEqual(decoded, v >= 1 ? { ...throttle(v, 1, 2), topicErrors } : { topicErrors })
    })
  }

  for (const v of range(0, 1)) {
    it(`CreatePartitions v${v}`, async () => {
      const body = await kafkajsRequestToOurs('createPartitions', v, ApiKey.CreatePartitions, {
        timeout: 4000, validateOnly: false,
        topicPartitions: [{ topic: 'a', count: 6 }, { topic: 'b', count: 3, assignments: [[1], [2]] }],
      })
      assert.deepEqual(body, {
        topics: [{ name: 'a', count: 6, assignments: null }, { name: 'b', count: 3, assignments: [{ brokerIds: [1] }, { brokerIds: [2] }] }],
        timeoutMs: 4000, validateOnly: false,
      })
      const decoded = await ourResponseToKafkajs('createPartitions', v, ApiKey.CreatePartitions, {
        throttleTimeMs: 1, results: [{ name: 'a', errorCode: 0, errorMessage: null }, { name: 'b', errorCode: 37, errorMessage: 'too few' }],
      })
      assert.deepEqual(decoded, { ...throttle(v, 1, 1), topicErrors: [{ topic: 'a', errorCode: 0, errorMessage: null }, { topic: 'b', errorCode: 37, errorMessage: 'too few' }] })
    })
  }

  for (const v of range(0, 1)) {
    it(`DeleteRecords v${v}`, async () => {
      const topics = [{ topic: 't', partitions: [{ partition: 0, offset: '1099511627776' }, { partition: 1, offset: '-1' }] }]
      const body = await kafkajsRequestToOurs('deleteRecords', v, ApiKey.DeleteRecords, { topics, timeout: 2000 })
      assert.deepEqual(body, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: 2 ** 40 }, { partitionIndex: 1, offset: -1 }] }], timeoutMs: 2000 })
      const decoded = await ourResponseToKafkajs('deleteRecords', v, ApiKey.DeleteRecords, {
        throttleTimeMs: 3, topics: [{ name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 2 ** 40, errorCode: 0 }] }],
      }, { topics })
      const p = decoded.topics[0].partitions[0]
      assert.deepEqual([decoded.topics[0].topic, p.partition, p.lowWatermark.toString(), p.errorCode], ['t', 0, String(2 ** 40), 0])
      assert.deepEqual(v >= 1 ? [decoded.throttleTime, decoded.clientSideThrottleTime] : [decoded.throttleTime], v >= 1 ? [0, 3] : [3])
    })
  }

  for (const v of range(0, 2)) {
    it(`DescribeConfigs v${v}`, async () => {
      const body = await kafkajsRequestToOurs('describeConfigs', v, ApiKey.DescribeConfigs, {
        includeSynonyms: true, resources: [{ type: 2, name: 'orders', configNames: ['retention.ms'] }, { type: 4, name: '1', configNames: [] }],
      })
      assert.deepEqual(body, {
        resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] }, { resourceType: 4, resourceName: '1', configurationKeys: null }],
        includeSynonyms: v >= 1,
      })
      const decoded = await ourResponseToKafkajs('describeConfigs', v, ApiKey.DescribeConfigs, {
        throttleTimeMs: 4,
        results: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders', configs: [
          { name: 'retention.ms', value: '1000', readOnly: false, isDefault: false, configSource: 1, isSensitive: false, synonyms: [{ name: 'retention.ms', value: '1000', source: 1 }] },
          { name: 'sasl.jaas.config', value: null, readOnly: true, isDefault: true, configSource: 5, isSensitive: true, synonyms: [] },
        ] }],
      })
      const entries = v === 0
        ? [{ configName: 'retention.ms', configValue: '1000', readOnly: false, isDefault: false, configSource: 1, isSensitive: false },
            { configName: 'sasl.jaas.config', configValue: null, readOnly: true, isDefault: true, configSource: 5, isSensitive: true }]
        : [{ configName: 'retention.ms', configValue: '1000', readOnly: false, isDefault: false, configSource: 1, isSensitive: false, configSynonyms: [{ configName: 'retention.ms', configValue: '1000', configSource: 1 }] },
            { configName: 'sasl.jaas.config', configValue: null, readOnly: true, isDefault: true, configSource: 5, isSensitive: true, configSynonyms: [] }]
      assert.deepEqual(decoded, { ...throttle(v, 2, 4), resources: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders', configEntries: entries }] })
    })
  }

  for (const v of range(0, 1)) {
    it(`AlterConfigs v${v}`, async () => {
      const body = await kafkajsRequestToOurs('alterConfigs', v, ApiKey.AlterConfigs, {
        validateOnly: true, resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'retention.ms', value: '5000' }, { name: 'x', value: null }] }],
      })
      assert.deepEqual(body, {
        resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '5000' }, { name: 'x', value: null }] }],
        validateOnly: true,
      })
      const decoded = await ourResponseToKafkajs('alterConfigs', v, ApiKey.AlterConfigs, {
        throttleTimeMs: 2, responses: [{ errorCode: 40, errorMessage: 'bad value', resourceType: 2, resourceName: 'orders' }],
      })
      assert.deepEqual(decoded, { ...throttle(v, 1, 2), resources: [{ errorCode: 40, errorMessage: 'bad value', resourceType: 2, resourceName: 'orders' }] })
    })
  }

  for (const v of range(0, 1)) {
    it(`InitProducerId v${v}`, async () => {
      const body = await kafkajsRequestToOurs('initProducerId', v, ApiKey.InitProducerId, { transactionalId: null, transactionTimeout: 60000 })
      assert.deepEqual(body, { transactionalId: null, transactionTimeoutMs: 60000 })
      const decoded = await ourResponseToKafkajs('initProducerId', v, ApiKey.InitProducerId, { throttleTimeMs: 1, errorCode: 0, producerId: 2 ** 45, producerEpoch: 0 })
      assert.deepEqual(decoded, { ...throttle(v, 1, 1), errorCode: 0, producerId: String(2 ** 45), producerEpoch: 0 })
    })
  }
})
