// Error codes of the connector runtime.
import { defineError } from '../config'

export const ConnectorNotFoundError = defineError('ConnectorNotFoundError', 'CONNECT_CONNECTOR_NOT_FOUND',
  'No connector with that name exists on this worker; list them with GET /connectors.')
export const TaskNotFoundError = defineError('TaskNotFoundError', 'CONNECT_TASK_NOT_FOUND',
  'The connector has no task with that id; GET /connectors/{name}/tasks lists them.')
export const ConnectorExistsError = defineError('ConnectorExistsError', 'CONNECT_CONNECTOR_EXISTS',
  'A connector with that name already exists; PUT /connectors/{name}/config changes its configuration.')
export const PluginNotFoundError = defineError('PluginNotFoundError', 'CONNECT_PLUGIN_NOT_FOUND',
  'connector.class names no installed connector plugin; GET /connector-plugins lists them.')
export const ConnectorConfigError = defineError('ConnectorConfigError', 'CONNECT_CONFIG_INVALID',
  'A connector configuration is invalid; the message lists every problem and nothing was changed.')
export const ConnectorStateError = defineError('ConnectorStateError', 'CONNECT_STATE_CONFLICT',
  'The request conflicts with the connector\'s state (e.g. altering offsets of a connector that is not STOPPED).')
export const RetriableConnectError = defineError('RetriableConnectError', 'CONNECT_RETRIABLE',
  'A transient failure (cluster unreachable, leader moving); the runtime retries with backoff.', { retriable: true })
export const ToleranceExceededError = defineError('ToleranceExceededError', 'CONNECT_TOLERANCE_EXCEEDED',
  'A record failed in a stage and errors.tolerance=none (or retries ran out); the task is FAILED with the cause.')
export const OffsetStoreError = defineError('OffsetStoreError', 'CONNECT_OFFSET_STORE',
  'Reading or writing connector offsets, configs or statuses failed (file unreadable, internal topic missing).')
export const RestListenerError = defineError('RestListenerError', 'CONNECT_REST_LISTENER',
  'The REST listener cannot be bound (port in use, no permission, not http://); set listeners=http://host:port (port 0 picks a free one).')
export const KafkaClientConfigError = defineError('KafkaClientConfigError', 'CONNECT_KAFKA_CLIENT_CONFIG',
  'Kafka client settings (bootstrap.servers, security.protocol, ssl.*, sasl.*) cannot be turned into a client: the message names the key and how to fix it.')
export const KafkaClientAuthError = defineError('KafkaClientAuthError', 'CONNECT_KAFKA_CLIENT_AUTH',
  'A worker client could not connect or authenticate to its Kafka cluster (TLS handshake or SASL failed); the message names the client, its cluster and the settings it used.')
