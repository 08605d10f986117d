// Reads MirrorMaker 2's own mm2.properties format unchanged:
//   clusters = A, B                     the cluster aliases
//   A.bootstrap.servers = ...           per-cluster client settings (A.security.protocol, A.sasl.*, A.ssl.*)
//   A.consumer.* / A.producer.* / A.admin.*   per-cluster client overrides
//   A->B.enabled = true                 a replication flow (flows are off unless enabled)
//   A->B.topics = ...                   per-flow overrides of any connector property
//   topics = ...                        top-level defaults for every flow (and top-level client settings)
// Unknown keys warn with the closest valid name; invalid values fail with every problem listed.
import { parseProperties, propertiesToObject, closestName, withPrefix } from '../../config'
import { MirrorConfigError } from '../errors'
import {
  CLIENT_PREFIXES, CLUSTER_KEYS, CONNECTOR_KEYS, MirrorClusterConfigDef, MirrorConnectorConfigDef, MirrorWorkerConfigDef,
  WORKER_KEYS, type MirrorConnectorConfig,
} from './mirror-config-def'

export interface Mm2Cluster {
  alias: string
  /** Client settings for this cluster (bootstrap.servers, security.*, sasl.*, ssl.*, consumer.*, producer.*, admin.*). */
  clientProps: Record<string, string>
}

export interface Mm2Flow {
  source: string
  target: string
  enabled: boolean
  config: MirrorConnectorConfig
  /** Connector properties for this flow, as MM2 hands them to its connectors (with source.cluster.* / target.cluster.*). */
  connectorProps: Record<string, string>
}

export interface Mm2Config {
  clusters: Mm2Cluster[]
  /** Every ordered pair of clusters, enabled or not. */
  flows: Mm2Flow[]
  worker: ReturnType<typeof MirrorWorkerConfigDef.parse>
  warnings: string[]
  raw: Record<string, string>
}

const FLOW = /^([^.>]+?)->([^.]+?)\.(.+)$/

/** Parses mm2.properties text (or an already-parsed object). Throws MirrorConfigError listing every problem. */
export function parseMm2Config(input: string | Record<string, string>): Mm2Config {
  const raw = typeof input === 'string' ? propertiesToObject(parseProperties(input)) : { ...input }
  const problems: string[] = []
  const warnings: string[] = []

  const aliases = (raw.clusters ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (aliases.length === 0) problems.push('clusters: is required (e.g. "clusters = A, B")')
  for (const a of aliases) if (!/^[A-Za-z0-9_-]+$/.test(a)) problems.push(`clusters: alias "${a}" may only contain letters, digits, '_' and '-'`)

  // Classify every key once, to warn about the ones nothing reads.
  const topLevel: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
    const flow = FLOW.exec(key)
    if (flow !== null) {
      const [, s, t, rest] = flow
      for (const a of [s, t]) if (!aliases.includes(a)) warnings.push(`${key}: cluster "${a}" is not in clusters (${aliases.join(', ')}); ignored`)
      if (rest !== 'enabled' && !CONNECTOR_KEYS.includes(rest) && !hasClientPrefix(rest)) warnings.push(unknownKey(key, rest, [...CONNECTOR_KEYS, 'enabled'], `${s}->${t}.`))
      continue
    }
    const dot = key.indexOf('.')
    const alias = dot > 0 ? key.slice(0, dot) : ''
    if (aliases.includes(alias)) {
      const rest = key.slice(dot + 1)
      if (!CLUSTER_KEYS.includes(rest) && !hasClientPrefix(rest) && !WORKER_KEYS.includes(rest)) warnings.push(unknownKey(key, rest, CLUSTER_KEYS, `${alias}.`))
      continue
    }
    topLevel[key] = value
    if (!CONNECTOR_KEYS.includes(key) && !WORKER_KEYS.includes(key) && !CLUSTER_KEYS.includes(key) && !hasClientPrefix(key) && !isCompatKey(key)) {
      warnings.push(unknownKey(key, key, [...CONNECTOR_KEYS, ...WORKER_KEYS, ...CLUSTER_KEYS], ''))
    }
  }

  const worker = collect(problems, '', () => MirrorWorkerConfigDef.parse(raw, { allowUnknown: true }))

  const clusters: Mm2Cluster[] = []
  for (const alias of aliases) {
    const clientProps: Record<string, string> = {}
    for (const [k, v] of Object.entries(topLevel)) if (CLUSTER_KEYS.includes(k) && k !== 'bootstrap.servers' || hasClientPrefix(k)) clientProps[k] = v
    Object.assign(clientProps, withPrefix(raw, `${alias}.`))
    collect(problems, `${alias}.`, () => MirrorClusterConfigDef.parse(clientProps, { allowUnknown: true }))
    clusters.push({ alias, clientProps })
  }

  const flows: Mm2Flow[] = []
  for (const source of clusters) {
    for (const target of clusters) {
      if (source.alias === target.alias) continue
      const prefix = `${source.alias}->${target.alias}.`
      const flowProps = withPrefix(raw, prefix)
      const props: Record<string, string> = {}
      for (const [k, v] of Object.entries(topLevel)) if (CONNECTOR_KEYS.includes(k)) props[k] = v
      Object.assign(props, flowProps)
      const enabledText = flowProps.enabled ?? 'false'
      props.enabled = enabledText
      props['source.cluster.alias'] = source.alias
      props['target.cluster.alias'] = target.alias
      for (const [k, v] of Object.entries(source.clientProps)) props[`source.cluster.${k}`] = v
      for (const [k, v] of Object.entries(target.clientProps)) props[`target.cluster.${k}`] = v
      const config = collect(problems, prefix, () => MirrorConnectorConfigDef.parse(props, { allowUnknown: true }), (name) => (name in flowProps ? prefix : ''))
      if (config === undefined) continue
      flows.push({ source: source.alias, target: target.alias, enabled: config.enabled, config, connectorProps: props })
    }
  }

  if (problems.length > 0) {
    const unique = [...new Set(problems)]
    throw new MirrorConfigError(`Invalid mm2.properties (${unique.length} problem${unique.length === 1 ? '' : 's'}):\n${unique.map((p) => `  - ${p}`).join('\n')}`)
  }
  if (flows.length > 0 && !flows.some((f) => f.enabled)) {
    warnings.push(`no replication flow is enabled; set e.g. "${flows[0].source}->${flows[0].target}.enabled = true"`)
  }
  return { clusters, flows, worker: worker!, warnings: [...new Set(warnings)], raw }
}

function hasClientPrefix(key: string): boolean {
  return CLIENT_PREFIXES.some((p) => key.startsWith(p)) || key.startsWith('source.cluster.') || key.startsWith('target.cluster.')
}

/** Connect / MM2 keys accepted silently: they configure parts Godwit provides differently. */
function isCompatKey(key: string): boolean {
  return /^(group\.id|plugin\.path|listeners|rest\.|metric\.reporters|metrics\.|config\.storage\.topic|offset\.storage\.topic|status\.storage\.topic|exactly\.once\.|internal\.)/.test(key)
}

function unknownKey(fullKey: string, name: string, known: string[], prefix: string): string {
  const hint = closestName(name, known)
  return `${fullKey}: unknown property${hint === undefined ? '' : ` (did you mean '${prefix}${hint}'?)`}; ignored`
}

/** Runs a ConfigDef.parse and turns its ConfigError lines into located problems. */
function collect<T>(problems: string[], where: string, parse: () => T, locate: (name: string) => string = () => where): T | undefined {
  try {
    return parse()
  } catch (e) {
    const lines = (e as Error).message.split('\n').slice(1)
    for (const line of lines) {
      const m = /^\s*- ([^:]+): (.*)$/.exec(line)
      if (m === null) problems.push(line.trim())
      else problems.push(`${locate(m[1])}${m[1]}: ${m[2]}`)
    }
    if (lines.length === 0) problems.push((e as Error).message)
    return undefined
  }
}
