// Offset, config and status stores: interfaces, and memory / file / Kafka-topic variants built on
// a KeyValueLog. Distributed mode may implement the interfaces (or a KeyValueLog) on Redis.
import type { Kafka } from 'kafkajs'
import { FileKeyValueLog } from './file-kv-log'
import { KafkaKeyValueLog } from './kafka-kv-log'
import { KeyValueConfigStore, type ConfigStore } from './config-store'
import { KeyValueOffsetStore, type OffsetStore } from './offset-store'
import { KeyValueStatusStore, type StatusStore } from './status-store'

export * from './kv-log'
export * from './offset-store'
export * from './config-store'
export * from './status-store'
export { FileKeyValueLog } from './file-kv-log'
export { KafkaKeyValueLog, ensureCompactedTopic } from './kafka-kv-log'

export const fileOffsetStore = (filename: string): OffsetStore => new KeyValueOffsetStore(new FileKeyValueLog(filename))
export const fileConfigStore = (filename: string): ConfigStore => new KeyValueConfigStore(new FileKeyValueLog(filename))
export const fileStatusStore = (filename: string): StatusStore => new KeyValueStatusStore(new FileKeyValueLog(filename))

export interface TopicStoreOptions { kafka: Kafka; topic: string; partitions: number; replicationFactor: number }
export const kafkaOffsetStore = (o: TopicStoreOptions): OffsetStore => new KeyValueOffsetStore(new KafkaKeyValueLog(o))
/** The config topic always has one partition (its records must stay in order). */
export const kafkaConfigStore = (o: Omit<TopicStoreOptions, 'partitions'>): ConfigStore => new KeyValueConfigStore(new KafkaKeyValueLog({ ...o, partitions: 1 }))
export const kafkaStatusStore = (o: TopicStoreOptions): StatusStore => new KeyValueStatusStore(new KafkaKeyValueLog(o))
