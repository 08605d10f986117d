// Config resources as DescribeConfigs and (Incremental)AlterConfigs see them: topics (stored
// overrides over broker defaults) and brokers (the parsed server properties, read-only).
import { TOPIC_CONFIG_KEYS, TopicConfigDef, parseTopicConfig } from '../log/topic-config'
import { ErrorCode } from '../protocol/error-codes'
import { BrokerConfigDef, TOPIC_TO_BROKER_KEY, topicDefaults } from './broker-config'
import type { Cluster } from './request-context'
import { wireMessage } from './error-mapping'

const TOPIC_DEFAULTS = TopicConfigDef.defaults()

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const

/** Kafka's ConfigSource ids. */
export const ConfigSource = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const

export interface ConfigEntry {
  name: string
  value: string | null
  readOnly: boolean
  isDefault: boolean
  configSource: number
  isSensitive: boolean
  synonyms: { name: string; value: string | null; source: number }[]
}

export interface ResourceProblem { errorCode: number; errorMessage: string }

const SOURCE: Record<string, number> = {
  'topic': ConfigSource.DYNAMIC_TOPIC_CONFIG,
  'broker-default': ConfigSource.STATIC_BROKER_CONFIG,
  'default': ConfigSource.DEFAULT_CONFIG,
}

export function formatValue(v: unknown): string | null {
  if (v === undefined || v === null) return null
  return Array.isArray(v) ? v.join(',') : String(v)
}

export function describeTopic(cluster: Cluster, name: string): ConfigEntry[] | ResourceProblem {
  if (cluster.logs.topic(name) === undefined) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.` }
  const defaults = topicDefaults(cluster.config)
  return cluster.logs.describeTopicConfig(name).map((e) => {
    const configSource = SOURCE[e.source] ?? ConfigSource.DEFAULT_CONFIG
    const synonyms = [{ name: e.name, value: e.value, source: configSource }]
    const brokerKey = TOPIC_TO_BROKER_KEY[e.name]
    if (brokerKey !== undefined && e.source === 'topic') {
      // What the topic would fall back to: the broker's setting, else the built-in default.
      const fromBroker = defaults[e.name]
      synonyms.push(fromBroker !== undefined
        ? { name: brokerKey, value: fromBroker, source: ConfigSource.STATIC_BROKER_CONFIG }
        : { name: brokerKey, value: formatValue((TOPIC_DEFAULTS as Record<string, unknown>)[e.name]), source: ConfigSource.DEFAULT_CONFIG })
    }
    if (brokerKey !== undefined && e.source !== 'topic') synonyms[0] = { name: brokerKey, value: e.value, source: configSource }
    return { name: e.name, value: e.value, readOnly: e.readOnly, isDefault: e.isDefault, configSource, isSensitive: e.isSensitive, synonyms }
  })
}

export function describeBroker(cluster: Cluster, resourceName: string): ConfigEntry[] | ResourceProblem {
  if (resourceName !== '' && !cluster.nodes.some((n) => String(n.nodeId) === resourceName)) {
    return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Broker '${resourceName}' is not a node of this cluster (nodes: ${cluster.nodes.map((n) => n.nodeId).join(', ')}).` }
  }
  const defaults = BrokerConfigDef.defaults() as Record<string, unknown>
  const current = cluster.config as Record<string, unknown>
  return Object.entries(BrokerConfigDef.keys).map(([name, spec]) => {
    const value = formatValue(current[name])
    const isDefault = value === formatValue(defaults[name])
    const configSource = isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG
    const isSensitive = (spec.type as string) === 'password'
    return { name, value: isSensitive ? null : value, readOnly: true, isDefault, configSource, isSensitive, synonyms: [{ name, value, source: configSource }] }
  })
}

/** Current topic overrides (source 'topic') as name → value. */
export function topicOverrides(cluster: Cluster, name: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of cluster.logs.describeTopicConfig(name)) if (e.source === 'topic' && e.value !== null) out[e.name] = e.value
  return out
}

/**
 * Validates and (unless validateOnly) applies a topic's complete new set of overrides.
 * Returns undefined on success or what is wrong.
 */
export async function replaceTopicOverrides(cluster: Cluster, name: string, next: Record<string, string>, validateOnly: boolean): Promise<ResourceProblem | undefined> {
  if (cluster.logs.topic(name) === undefined) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.` }
  const unknown = Object.keys(next).filter((k) => !TOPIC_CONFIG_KEYS.includes(k))
  if (unknown.length > 0) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `Unknown topic config name: ${unknown.join(', ')}` }
  try {
    parseTopicConfig({}, next)
  } catch (err) {
    return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: wireMessage(err) }
  }
  if (validateOnly) return undefined
  const current = topicOverrides(cluster, name)
  const changes: Record<string, string | null> = {}
  for (const k of Object.keys(current)) if (!(k in next)) changes[k] = null
  for (const [k, v] of Object.entries(next)) if (current[k] !== v) changes[k] = v
  try {
    if (Object.keys(changes).length > 0) await cluster.logs.alterTopicConfig(name, changes)
  } catch (err) {
    return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: wireMessage(err) }
  }
  return undefined
}

export function isListKey(name: string): boolean {
  return (TopicConfigDef.keys as Record<string, { type: string }>)[name]?.type === 'list'
}

/**
 * The loop AlterConfigs and IncrementalAlterConfigs share: each resource in order, topics changed
 * by `alterTopic`, brokers refused as read-only, other resource types refused as unsupported.
 */
export async function alterEachResource<R extends { resourceType: number; resourceName: string }>(
  resources: R[],
  alterTopic: (r: R) => Promise<ResourceProblem | undefined>,
): Promise<{ throttleTimeMs: number; responses: { resourceType: number; resourceName: string; errorCode: number; errorMessage: string | null }[] }> {
  const responses = []
  for (const r of resources) {
    let problem: ResourceProblem | undefined
    if (r.resourceType === ResourceType.TOPIC) problem = await alterTopic(r)
    else if (r.resourceType === ResourceType.BROKER) problem = BROKER_READ_ONLY
    else problem = { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}.` }
    responses.push({ resourceType: r.resourceType, resourceName: r.resourceName, errorCode: problem?.errorCode ?? ErrorCode.NONE, errorMessage: problem?.errorMessage ?? null })
  }
  return { throttleTimeMs: 0, responses }
}

export const BROKER_READ_ONLY: ResourceProblem = {
  errorCode: ErrorCode.INVALID_REQUEST,
  errorMessage: 'Broker configs are read-only at runtime in Godwit; set them in server.properties (or --override) and restart.',
}
