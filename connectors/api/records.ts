// The records that flow between tasks and the runtime. Keys and values are bytes (no schemas or
// converters: Godwit moves bytes); source positions are JSON-able objects, as in Kafka Connect.

/** Any value that survives JSON.stringify/parse unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Where in the external system a record came from (e.g. `{ filename: '/var/log/app.log' }`). */
export type SourcePartition = { [key: string]: Json }
/** How far into that source partition the record is (e.g. `{ position: 4096 }`). */
export type SourceOffset = { [key: string]: Json }

export interface Header {
  key: string
  value: Buffer | null
}

export interface TopicPartition {
  topic: string
  partition: number
}

/** A consumer position: `offset` is the next offset to read, as Kafka commits it. */
export interface TopicPartitionOffset extends TopicPartition {
  offset: number
}

export interface ConnectRecord {
  topic: string
  /** Target partition; null/undefined lets the producer's partitioner choose (by key). */
  partition?: number | null
  key: Buffer | null
  value: Buffer | null
  headers?: Header[]
  /** Milliseconds since the epoch; null/undefined lets the producer stamp it. */
  timestamp?: number | null
}

/** What SourceTask.poll returns. */
export interface SourceRecord extends ConnectRecord {
  sourcePartition: SourcePartition
  sourceOffset: SourceOffset
}

/** What SinkTask.put receives: a consumed record with its position. */
export interface SinkRecord extends ConnectRecord {
  partition: number
  /** The record's offset in its topic partition. */
  kafkaOffset: number
  timestamp: number
  headers: Header[]
}

/** The broker's acknowledgement of one produced source record (Kafka's RecordMetadata). */
export interface RecordMetadata {
  topic: string
  partition: number
  offset: number
  timestamp: number
}

/** A stable string key for maps of topic partitions: "topic-partition", as Kafka prints them. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`
}
