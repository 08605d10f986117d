// Keys every connector accepts (Connect's ConnectorConfig, SinkConnectorConfig): name, class,
// tasks.max and the errors.* family. The connector's own config() is validated beside them.
import { atLeast, defineConfig, oneOf, type ConfigOf } from '../../config'

export const ConnectorConfigDef = defineConfig('Connector (common)', {
  'name': { type: 'string', required: true, doc: 'Unique name of the connector.', importance: 'high' },
  'connector.class': { type: 'string', required: true, doc: 'Connector plugin: full class name or alias (e.g. FileStreamSource).', importance: 'high' },
  'tasks.max': { type: 'int', default: 1, validate: atLeast(1), doc: 'Maximum number of tasks the connector may create.', importance: 'high' },
  'key.converter': { type: 'class', default: null, doc: 'Accepted for compatibility: keys pass through as bytes.' },
  'value.converter': { type: 'class', default: null, doc: 'Accepted for compatibility: values pass through as bytes.' },
  'header.converter': { type: 'class', default: null, doc: 'Accepted for compatibility: headers pass through as bytes.' },
  'errors.retry.timeout': { type: 'long', default: 0, validate: atLeast(-1), doc: 'How long (ms) a failed operation is retried; 0 = no retries, -1 = forever.' },
  'errors.retry.delay.max.ms': { type: 'long', default: 60000, validate: atLeast(1), doc: 'Cap of the exponential backoff between retries.' },
  'errors.tolerance': { type: 'string', default: 'none', validate: oneOf('none', 'all'), doc: 'none: a record error fails the task; all: the record is skipped (and sent to the dead-letter queue when one is set).' },
  'errors.log.enable': { type: 'boolean', default: false, doc: 'Log every tolerated error with its operation and record position.' },
  'errors.log.include.messages': { type: 'boolean', default: false, doc: 'Also log the failed record\'s key, value and headers.' },
})

export const SinkConnectorConfigDef = ConnectorConfigDef.extend('Sink connector (common)', {
  'topics': { type: 'list', default: [], doc: 'Topics to consume (give this or topics.regex).', importance: 'high' },
  'topics.regex': { type: 'string', default: '', doc: 'Regex of topics to consume (give this or topics).', importance: 'high' },
  'errors.deadletterqueue.topic.name': { type: 'string', default: '', doc: 'Topic that receives records the task failed on (errors.tolerance=all); empty disables it.' },
  'errors.deadletterqueue.topic.replication.factor': { type: 'int', default: 3, doc: 'Replication factor of the dead-letter topic when created (-1 = broker default).' },
  'errors.deadletterqueue.context.headers.enable': { type: 'boolean', default: false, doc: 'Add __connect.errors.* headers describing the failure to dead-letter records.' },
})

export type ConnectorConfig = ConfigOf<typeof ConnectorConfigDef>
export type SinkConnectorConfig = ConfigOf<typeof SinkConnectorConfigDef>
