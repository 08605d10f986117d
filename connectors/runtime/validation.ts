// Connector config validation in the shape of Connect's ConfigInfos (what
// PUT /connector-plugins/{type}/config/validate returns, and what POST/PUT refuse with).
import type { ConfigDef, KeySpecs, KeyValidation } from '../../config'
import type { Connector, ConnectorProps } from '../api'
import { ConnectorConfigDef, SinkConnectorConfigDef } from './connector-config'
import type { PluginRegistry } from './plugins'

export interface ConfigKeyInfo {
  name: string
  type: string
  required: boolean
  default_value: string | null
  importance: string
  documentation: string
  group: string
  order_in_group: number
  width: string
  display_name: string
  dependents: string[]
}

export interface ConfigValueInfo {
  name: string
  value: string | null
  recommended_values: string[]
  errors: string[]
  visible: boolean
}

export interface ConfigInfos {
  name: string
  error_count: number
  groups: string[]
  configs: Array<{ definition: ConfigKeyInfo; value: ConfigValueInfo }>
}

const ERROR_KEYS = /^errors\./

export function validateConnectorConfig(plugins: PluginRegistry, props: ConnectorProps): ConfigInfos {
  let connector: Connector | undefined
  let className = props['connector.class'] ?? ''
  let classError: string | undefined
  if (className === '') classError = 'Missing required configuration "connector.class" which has no default value.'
  else {
    try {
      const made = plugins.create(className)
      connector = made.connector
      className = made.className
    } catch (e) {
      classError = (e as Error).message
    }
  }
  const common = connector?.type === 'sink' ? SinkConnectorConfigDef : ConnectorConfigDef
  const configs: ConfigInfos['configs'] = []
  const groupsSeen = new Set<string>()
  const add = (def: ConfigDef<KeySpecs>, results: KeyValidation[], group: (k: string) => string): void => {
    let order = 0
    for (const r of results) {
      const spec = def.keys[r.name]
      if (spec === undefined) continue
      if (configs.some((c) => c.definition.name === r.name)) continue
      const g = group(r.name)
      groupsSeen.add(g)
      configs.push({
        definition: {
          name: r.name, type: spec.type.toUpperCase(), required: spec.required === true && spec.default === undefined,
          default_value: spec.default === undefined || spec.default === null ? null : Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default),
          importance: (spec.importance ?? 'medium').toUpperCase(), documentation: spec.doc, group: g, order_in_group: ++order,
          width: 'NONE', display_name: r.name, dependents: [],
        },
        value: { name: r.name, value: props[r.name] ?? (r.value === undefined || r.value === null ? null : Array.isArray(r.value) ? r.value.join(',') : String(r.value)), recommended_values: [], errors: [...r.errors], visible: true },
      })
    }
  }
  const commonResults = common.validate(props, { allowUnknown: true })
  add(common, commonResults, (k) => (ERROR_KEYS.test(k) ? 'Error Handling' : 'Common'))
  const byName = (n: string): ConfigValueInfo | undefined => configs.find((c) => c.definition.name === n)?.value
  if (classError !== undefined) byName('connector.class')?.errors.splice(0, Infinity, classError)
  const name = props['name'] ?? ''
  if (name !== '' && /[\u0000-\u001f\u007f]/.test(name)) byName('name')?.errors.push('Connector name must not contain ISO control characters')
  if (name.trim() !== name || (name === '' && props['name'] !== undefined)) byName('name')?.errors.push('Connector name must not be empty or start/end with whitespace')
  if (connector?.type === 'sink') checkSinkTopics(props, byName)
  if (connector !== undefined) {
    const own = connector.config()
    let results: KeyValidation[]
    try {
      results = connector.validate(props)
    } catch (e) {
      results = [{ name: 'connector.class', value: className, errors: [`validate() failed: ${(e as Error).message}`] }]
      byName('connector.class')?.errors.push(results[0].errors[0])
    }
    const pluginGroup = className.slice(className.lastIndexOf('.') + 1)
    add(own, results, () => pluginGroup)
  }
  const errorCount = configs.reduce((n, c) => n + c.value.errors.length, 0)
  return { name: className, error_count: errorCount, groups: [...groupsSeen], configs }
}

function checkSinkTopics(props: ConnectorProps, byName: (n: string) => ConfigValueInfo | undefined): void {
  const topics = (props['topics'] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '')
  const regex = (props['topics.regex'] ?? '').trim()
  if (topics.length > 0 && regex !== '') byName('topics')?.errors.push('topics and topics.regex are mutually exclusive; give only one')
  else if (topics.length === 0 && regex === '') byName('topics')?.errors.push('Must configure one of topics or topics.regex')
  if (regex !== '') {
    try { new RegExp(regex) } catch (e) { byName('topics.regex')?.errors.push(`invalid regex: ${(e as Error).message}`) }
  }
  const dlq = (props['errors.deadletterqueue.topic.name'] ?? '').trim()
  if (dlq !== '' && topics.includes(dlq)) byName('errors.deadletterqueue.topic.name')?.errors.push(`The DLQ topic '${dlq}' may not be included in the topics consumed by the connector`)
}

/** Every problem as one line each, for the 400 message. */
export function describeProblems(infos: ConfigInfos): string[] {
  const out: string[] = []
  for (const c of infos.configs) for (const e of c.value.errors) out.push(`${c.definition.name}: ${e}`)
  return out
}
