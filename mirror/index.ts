// The MirrorMaker 2 layer's public surface. mirror/ reaches clusters only through kafkajs and
// imports only config/ and connectors/.
export { startMirror, type MirrorHandle, type StartMirrorOptions } from './driver'
export { parseMm2Config, MirrorConnectorConfigDef, MirrorClusterConfigDef, MirrorWorkerConfigDef, type Mm2Config, type Mm2Flow } from './config'
export { MirrorClient, commitGroupOffsets } from './client'
export * from './formats'
export * from './policy'
export { OffsetSyncEmitter, OffsetTranslator } from './offsets'
export { MirrorSourceConnector, MirrorCheckpointConnector, MirrorHeartbeatConnector, registerPlugins } from './connectors'
export * from './errors'
