import assert from 'node:assert/strict'
import { builtinPlugins } from '../../../connectors/builtin'
import { validateConnectorConfig, describeProblems } from '../../../connectors/runtime/validation'

describe('connectors/runtime: connector config validation and plugins', () => {
  const plugins = builtinPlugins()

  it('resolves Connect class names and their aliases to one plugin', () => {
    for (const n of ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSourceConnector', 'FileStreamSource']) {
      assert.equal(plugins.resolve(n).className, 'org.apache.kafka.connect.file.FileStreamSourceConnector')
    }
    assert.throws(() => plugins.resolve('FileStreamSorce'), /did you mean 'FileStreamSource'/)
  })

  it('reports every problem: common keys, sink topics, DLQ topic, connector keys', () => {
    const infos = validateConnectorConfig(plugins, {
      name: 'x', 'connector.class': 'FileStreamSink', 'tasks.max': '0', topics: 'a,dead', 'topics.regex': 'b.*',
      'errors.deadletterqueue.topic.name': 'dead', 'errors.tolerance': 'most',
    })
    assert.deepEqual(describeProblems(infos).sort(), [
      'errors.deadletterqueue.topic.name: The DLQ topic \'dead\' may not be included in the topics consumed by the connector',
      'errors.tolerance: must be one of none, all, got "most"',
      'file: is required and has no default',
      'tasks.max: must be at least 1, got 0',
      'topics: topics and topics.regex are mutually exclusive; give only one',
    ])
    assert.equal(infos.error_count, 5)
    assert.deepEqual(infos.groups, ['Common', 'Error Handling', 'FileStreamSinkConnector'])
  })

  it('an unknown class is an error on connector.class, with the installed plugins listed', () => {
    const infos = validateConnectorConfig(plugins, { name: 'x', 'connector.class': 'com.acme.Nope' })
    assert.equal(infos.error_count, 1)
    const cls = infos.configs.find((c) => c.definition.name === 'connector.class')!
    assert.match(cls.value.errors[0], /com\.acme\.Nope.*installed: .*FileStreamSinkConnector/)
  })

  it('a sink needs topics or topics.regex', () => {
    const infos = validateConnectorConfig(plugins, { name: 'x', 'connector.class': 'FileStreamSink', file: '/tmp/f' })
    assert.deepEqual(describeProblems(infos), ['topics: Must configure one of topics or topics.regex'])
  })
})

describe('connectors/runtime/worker-config: Connect worker properties', () => {
  it('parses Connect\'s names and defaults, keeps client overrides aside, ignores unknown keys', () => {
    const { parseWorkerConfig } = require('../../../connectors/runtime/worker-config') as typeof import('../../../connectors/runtime/worker-config')
    const { config, overrides } = parseWorkerConfig({
      'bootstrap.servers': 'a:9092,b:9092', 'offset.storage.file.filename': '/tmp/o', 'producer.linger.ms': '5',
      'internal.key.converter': 'x', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    })
    assert.deepEqual(config['bootstrap.servers'], ['a:9092', 'b:9092'])
    assert.equal(config['offset.flush.interval.ms'], 60000)
    assert.equal(config['offset.storage.topic'], 'connect-offsets')
    assert.equal(config['status.storage.partitions'], 5)
    assert.equal(config['offset.storage.partitions'], 25)
    assert.deepEqual(overrides, { 'producer.linger.ms': '5' })
    assert.throws(() => parseWorkerConfig({ 'offset.flush.interval.ms': '0', 'rest.port': 'http' }), (e: Error) =>
      /offset\.flush\.interval\.ms: must be at least 1/.test(e.message) && /rest\.port: expected an integer/.test(e.message))
  })
})
