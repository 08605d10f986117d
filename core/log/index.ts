// The storage engine's public surface: the broker uses LogManager and PartitionLog.
export { LogManager, CLEAN_SHUTDOWN_FILE, type LogManagerOptions, type TopicInfo, type ConfigEntry } from './log-manager'
export { PartitionLog, type AppendResult, type ReadResult } from './partition-log'
export { TopicConfigDef, type TopicConfig } from './topic-config'
export { commitStats } from './group-commit'
export { systemClock, type Clock } from './clock'
export * from './errors'
