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
const { requests }: { requests: { Metadata: unknown } } = require('kafkajs/src/protocol/requests')
const { createErrorFromCode }: { createErrorFromCode(code: number): { type: string } } = require('kafkajs/src/protocol/error')
const METADATA_API_KEY = 3

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
/** A metadata answer as kafkajs decodes it, before its parse throws on the first error. */
interface DecodedMetadata {
  topicMetadata: Array<{ topic: string; topicErrorCode: number; partitionMetadata: Array<{ partitionErrorCode: number }> }>
}
interface KafkajsBroker {
  lookupRequest(apiKey: number, definition: unknown): (o: { topics: string[]; allowAutoTopicCreation: boolean }) => { request: WireRequest; response: WireResponse<unknown> }
  versions: Record<number, { minVersion: number; maxVersion: number }> | null
  connectionPool: { send(r: { request: WireRequest; response: WireResponse<unknown>; requestTimeout?: number | null }): Promise<unknown> }
  disconnect(): Promise<void>
}
interface KafkajsCluster {
  targetTopics: Set<string>
  brokerPool: { findConnectedBroker(): Promise<KafkajsBroker>; metadata: { brokers: Array<{ nodeId: number }>; topicMetadata: Array<{ topic: string; partitionMetadata: PartitionMetadata[] }> } | null }
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
  /** Topics asked for but left out of the loaded metadata -> the Kafka error they got. */
  private readonly unavailable = new Map<string, string>()

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

  /**
   * Loads metadata for these topics and every topic asked for before; always a fresh load. A
   * topic the cluster answers with an error for (UNKNOWN_TOPIC_OR_PARTITION once deleted,
   * TOPIC_AUTHORIZATION_FAILED, LEADER_NOT_AVAILABLE ...) is left out, so the others still load:
   * its leaders are then undefined and unavailableTopics() names it, and every later load asks
   * for it again. kafkajs fails a whole load for one such topic without naming it, so only after
   * a failure (and for topics already left out) is one Metadata request sent to read per-topic
   * errors. Fails only when nothing can be loaded (no broker reachable). Returns the topics left out.
   */
  async refreshMetadata(topics: string[]): Promise<string[]> {
    for (const t of topics) if (!this.unavailable.has(t)) this.cluster.targetTopics.add(t)
    // Topics left out before come back only once the cluster serves them again.
    if (this.unavailable.size > 0) {
      const probed = await this.topicErrors([...this.unavailable.keys()]).catch(() => undefined)
      if (probed !== undefined) this.leaveOut(probed, true)
    }
    for (let attempt = 1; ; attempt++) {
      // kafkajs asks for EVERY topic of the cluster when it has none to ask for: not when all the
      // asked ones are left out (the brokers are known; such a load could be large, and fail).
      if (this.cluster.targetTopics.size === 0 && this.unavailable.size > 0 && this.cluster.brokerPool.metadata !== null) break
      try {
        await this.cluster.refreshMetadata()
        break
      } catch (err) {
        // A topic-level error (kafkajs's protocol error, possibly after its retries): find who.
        if (attempt === 3 || kafkaErrorType(err) === undefined) throw err
        const probed = await this.topicErrors([...this.cluster.targetTopics]).catch(() => undefined)
        if (probed === undefined || ![...probed.values()].some((r) => r !== undefined)) throw err
        this.leaveOut(probed, false)
      }
    }
    return this.unavailableTopics()
  }

  /** Topics asked for that the last load left out (deleted, not yet created, not authorized ...). */
  unavailableTopics(): string[] {
    return [...this.unavailable.keys()]
  }

  /** Why a topic was left out of the last load (a Kafka error name), or undefined when it was not. */
  unavailableReason(topic: string): string | undefined {
    return this.unavailable.get(topic)
  }

  /** Takes failing topics out of kafkajs's load; with `all`, every probed topic without one comes back. */
  private leaveOut(probed: Map<string, string | undefined>, all: boolean): void {
    for (const [t, reason] of probed) {
      if (reason !== undefined) {
        this.cluster.targetTopics.delete(t)
        this.unavailable.set(t, reason)
      } else if (all) {
        this.unavailable.delete(t)
        this.cluster.targetTopics.add(t)
      }
    }
  }

  /** One Metadata request (the version kafkajs would use) read without kafkajs's parse: topic -> its error, or undefined. */
  private async topicErrors(topics: string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>()
    if (topics.length === 0) return out
    const broker = await this.cluster.brokerPool.findConnectedBroker()
    const { request, response } = broker.lookupRequest(METADATA_API_KEY, requests.Metadata)({ topics, allowAutoTopicCreation: false })
    const decoded = (await broker.connectionPool.send({ request, response: { decode: response.decode, parse: (d: unknown) => d } })) as DecodedMetadata
    for (const t of topics) out.set(t, 'UNKNOWN_TOPIC_OR_PARTITION')
    for (const t of decoded.topicMetadata) {
      // kafkajs refuses a load for any partition error too: such a topic is left out whole.
      const code = t.topicErrorCode !== 0 ? t.topicErrorCode : t.partitionMetadata.find((p) => p.partitionErrorCode !== 0)?.partitionErrorCode
      out.set(t.topic, code === undefined ? undefined : createErrorFromCode(code).type)
    }
    return out
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
    // Metadata loaded before the topic was left out may still list it.
    if (this.unavailable.has(topic)) return undefined
    return this.cluster.brokerPool.metadata?.topicMetadata.find((t) => t.topic === topic)?.partitionMetadata
  }
}

/** The Kafka error name of a kafkajs protocol error, or of the one behind its retries; undefined for others. */
function kafkaErrorType(err: unknown): string | undefined {
  const e = err as { type?: unknown; cause?: { type?: unknown } }
  const type = e.type ?? e.cause?.type
  return typeof type === 'string' ? type : undefined
}
