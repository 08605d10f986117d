// The connector plugins Godwit ships, under Connect's class names (and their aliases).
import { FileStreamSinkConnector } from './file/file-stream-sink'
import { FileStreamSourceConnector } from './file/file-stream-source'
import { KafkaSinkConnector } from './kafka/kafka-sink'
import { PluginRegistry } from './runtime/plugins'

export function builtinPlugins(): PluginRegistry {
  const r = new PluginRegistry()
  r.register('org.apache.kafka.connect.file.FileStreamSourceConnector', FileStreamSourceConnector)
  r.register('org.apache.kafka.connect.file.FileStreamSinkConnector', FileStreamSinkConnector)
  r.register('io.godwit.connect.kafka.KafkaSinkConnector', KafkaSinkConnector)
  return r
}
