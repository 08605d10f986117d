// Every user-facing ConfigDef, in the order docs/config.md lists them. Add new ones here.
import type { ConfigDef, KeySpecs } from '../config'
import { TopicConfigDef } from '../core/log/topic-config'
import { BrokerConfigDef } from '../core/server/broker-config'
import { WorkerConfigDef } from '../connectors/runtime/worker-config'
import { ConnectorConfigDef, SinkConnectorConfigDef } from '../connectors/runtime/connector-config'
import { FileStreamSourceConfigDef } from '../connectors/file/file-stream-source'
import { FileStreamSinkConfigDef } from '../connectors/file/file-stream-sink'
import { KafkaSinkConfigDef } from '../connectors/kafka/kafka-sink'
import { DistributedCoordinationConfigDef } from '../connectors/distributed/config'
import { MirrorConnectorConfigDef, MirrorClusterConfigDef, MirrorWorkerConfigDef } from '../mirror/config/mirror-config-def'

export function allConfigDefs(): ConfigDef<KeySpecs>[] {
  return [
    MirrorWorkerConfigDef, MirrorClusterConfigDef, MirrorConnectorConfigDef,
    BrokerConfigDef, TopicConfigDef,
    WorkerConfigDef, ConnectorConfigDef, SinkConnectorConfigDef, FileStreamSourceConfigDef, FileStreamSinkConfigDef, KafkaSinkConfigDef,
    DistributedCoordinationConfigDef,
  ] as unknown as ConfigDef<KeySpecs>[]
}
