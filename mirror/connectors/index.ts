// MirrorMaker 2's three connectors on Godwit's connector API, registered under MM2's class names.
import type { PluginRegistry } from '../../connectors/runtime/plugins'
import { MirrorCheckpointConnector } from './mirror-checkpoint-connector'
import { MirrorHeartbeatConnector } from './mirror-heartbeat-connector'
import { MirrorSourceConnector } from './mirror-source-connector'

export { MirrorSourceConnector, MirrorCheckpointConnector, MirrorHeartbeatConnector }
export { MirrorSourceTask, type MirrorSourceRecord } from './mirror-source-task'
export { MirrorCheckpointTask } from './mirror-checkpoint-task'
export { MirrorHeartbeatTask } from './mirror-heartbeat-connector'

export function registerPlugins(registry: PluginRegistry): void {
  registry.register(MirrorSourceConnector.CLASS_NAME, MirrorSourceConnector)
  registry.register(MirrorCheckpointConnector.CLASS_NAME, MirrorCheckpointConnector)
  registry.register(MirrorHeartbeatConnector.CLASS_NAME, MirrorHeartbeatConnector)
}
