// Every user-facing ConfigDef, in the order docs/config.md lists them. Add new ones here.
import type { ConfigDef, KeySpecs } from '../config'
import { TopicConfigDef } from '../core/log/topic-config'
import { MirrorConnectorConfigDef, MirrorClusterConfigDef, MirrorWorkerConfigDef } from '../mirror/config/mirror-config-def'

export function allConfigDefs(): ConfigDef<KeySpecs>[] {
  return [
    MirrorWorkerConfigDef, MirrorClusterConfigDef, MirrorConnectorConfigDef,
    TopicConfigDef,
  ] as unknown as ConfigDef<KeySpecs>[]
}
