// A thin handle on kafkajs's own Cluster: connections, SASL/SSL, ApiVersions and metadata stay
// kafkajs's; only the request bodies the raw mirror path needs (Fetch, Produce) are ours. Built
// from a KafkaConfig the same way kafkajs's Kafka client builds the Cluster behind a producer, so
// mm2.properties security settings apply unchanged.
import type { KafkaConfig } from 'kafkajs'
import { WireVersionError } from './errors'

/* eslint-disable @typescript-eslint/no-require-imports */
const Cluster: new (options: Record<string, unknown>) => KafkajsCluster = require('kafkajs/src/cluster')
const { createLogger, LEVELS }: { createLogger(o: { level: number; logCreator: unknown }): unknown; LEVELS: { INFO: number } } = require('kafkajs/src/loggers')
const LoggerConsole: unknown = require('kafkajs/src/loggers/console')
const defaultSocketFactory: () => unknown = require('kafkajs/src/network/socketFactory')

/** kafkajs's Encoder (kafkajs/src/protocol/encoder): only what a request body hands over. */
export interface WireEncoder { size(): number }

/** A kafkajs protocol request: what its connection frames and writes. */
export interface WireRequest {
  apiKey: number
  apiVersion: number
  apiName: string
  encode(): WireEncoder | Promise<WireEncoder>
}

/** A kafkajs protocol response: `decode` gets the bytes after the correlation id, `parse` its result. */
export interface WireResponse<T> {
  decode(payload: Buffer): unknown
  parse(decoded: any): T | Promise<T>
}

interface PartitionMetadata { partitionId: number; leader: number }
interface KafkajsBroker {
  versions: Record<number, { minVersion: number; maxVersion: number }> | null
  connectionPool: { send(r: { request: WireRequest; response: WireResponse<unknown>; requestTimeout?: number | null }): Promise<unknown> }
  disconnect(): Promise<void>
}
interface KafkajsCluster {
  targetTopics: Set<string>
  brokerPool: { metadata: { brokers: Array<{ nodeId: number }>; topicMetadata: Array<{ topic: string; partitionMetadata: PartitionMetadata[] }> } | null }
  connect(): Promise<void>
  disconnect(): Promise<void>
  refreshMetadata(): Promise<void>
  findBroker(o: { nodeId: number }): Promise<KafkajsBroker>
}

/** kafkajs's default metadata age for a producer (Kafka's metadata.max.age.ms is the same 5 min). */
const METADATA_MAX_AGE_MS = 300000

/** kafkajs's own Cluster (connections, SASL/SSL, metadata), with our request bodies sent through it. */
export class WireClient {
  private readonly cluster: KafkajsCluster

  /** `config` is the same object kafkajsConfig() builds for `new Kafka(...)`. */
  constructor(config: KafkaConfig) {
    const logger = createLogger({
      level: config.logLevel ?? LEVELS.INFO,
      logCreator: config.logCreator ?? LoggerConsole,
    })
    this.cluster = new Cluster({
      logger,
      retry: config.retry,
      offsets: new Map(),
      socketFactory: config.socketFactory ?? defaultSocketFactory(),
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl,
      clientId: config.clientId,
      connectionTimeout: config.connectionTimeout ?? 1000,
      authenticationTimeout: config.authenticationTimeout,
      reauthenticationThreshold: config.reauthenticationThreshold,
      requestTimeout: config.requestTimeout,
      enforceRequestTimeout: config.enforceRequestTimeout ?? true,
      metadataMaxAge: METADATA_MAX_AGE_MS,
      instrumentationEmitter: null,
      // A mirror writes only to topics it created on purpose: never let metadata create one.
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      isolationLevel: undefined,
    })
  }

  async connect(): Promise<void> {
    await this.cluster.connect()
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect()
  }

  /** Loads metadata for these topics (and every topic asked for before); always a fresh load. */
  async refreshMetadata(topics: string[]): Promise<void> {
    const added = topics.filter((t) => !this.cluster.targetTopics.has(t))
    for (const t of added) this.cluster.targetTopics.add(t)
    try {
      await this.cluster.refreshMetadata()
    } catch (err) {
      // kafkajs fails the whole load for one bad topic: forget the new ones so the rest still load.
      const type = (err as { type?: string }).type
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'INVALID_TOPIC_EXCEPTION' || type === 'TOPIC_AUTHORIZATION_FAILED') {
        for (const t of added) this.cluster.targetTopics.delete(t)
      }
      throw err
    }
  }

  /** Leader node id of a partition from the loaded metadata; undefined if unknown. */
  leaderOf(topic: string, partition: number): number | undefined {
    const p = this.partitions(topic)?.find((m) => m.partitionId === partition)
    return p === undefined || p.leader === null || p.leader < 0 ? undefined : p.leader
  }

  /** Node ids of the cluster from the loaded metadata (empty before the first load). */
  nodeIds(): number[] {
    return this.cluster.brokerPool.metadata?.brokers.map((b) => b.nodeId) ?? []
  }

  /** Number of partitions of a topic in the loaded metadata; undefined if the topic is not loaded. */
  partitionCount(topic: string): number | undefined {
    return this.partitions(topic)?.length
  }

  /**
   * Sends one request to a node and returns the parsed response. `request` and `response` are
   * kafkajs protocol objects. Fails with WireVersionError when the node does not serve that
   * API version, and with kafkajs's own errors (KafkaJSConnectionError, KafkaJSRequestTimeoutError,
   * KafkaJSBrokerNotFound ...) when the node cannot be reached.
   */
  async send<T>(nodeId: number, request: WireRequest, response: WireResponse<T>, timeoutMs?: number): Promise<T> {
    const broker = await this.cluster.findBroker({ nodeId })
    const range = broker.versions?.[request.apiKey]
    if (broker.versions !== null && (range === undefined || request.apiVersion < range.minVersion || request.apiVersion > range.maxVersion)) {
      throw new WireVersionError(
        `node ${nodeId} does not serve ${request.apiName} v${request.apiVersion}` +
          (range === undefined ? ' (API absent)' : ` (it serves v${range.minVersion}-v${range.maxVersion})`) +
          '; the raw mirror path needs Kafka 0.11 or later and a broker that still serves this version')
    }
    try {
      return (await broker.connectionPool.send({ request, response, requestTimeout: timeoutMs ?? null })) as T
    } catch (err) {
      // As kafkajs's Broker does: a closed connection is dropped so the next send reconnects.
      if ((err as Error).name === 'KafkaJSConnectionClosedError') await broker.disconnect().catch(() => undefined)
      throw err
    }
  }

  private partitions(topic: string): PartitionMetadata[] | undefined {
    return this.cluster.brokerPool.metadata?.topicMetadata.find((t) => t.topic === topic)?.partitionMetadata
  }
}
