// Kafka's JAAS configuration text, as in sasl.jaas.config:
//   org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";
// One login module, a control flag, then key="value" options, ending with ';'.
import { ConfigError } from '../../../config'

export interface JaasEntry {
  loginModule: string
  flag: string
  options: Record<string, string>
}

export function parseJaas(text: string, key: string): JaasEntry {
  const head = /^\s*([A-Za-z_$][\w.$]*)\s+(required|requisite|sufficient|optional)\b/.exec(text)
  if (head === null) throw new ConfigError(`${key}: expected "<LoginModule class> required key=\\"value\\" ...;", got "${text}"`)
  const options: Record<string, string> = {}
  let rest = text.slice(head[0].length)
  const opt = /^\s*([A-Za-z_][\w.-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/
  for (;;) {
    const m = opt.exec(rest)
    if (m === null) break
    options[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]
    rest = rest.slice(m[0].length)
  }
  if (!/^\s*;\s*$/.test(rest)) throw new ConfigError(`${key}: cannot read "${rest.trim()}" (options are key="value", and the entry ends with ';')`)
  return { loginModule: head[1], flag: head[2], options }
}

/** The user_<name>="<password>" options of a JAAS entry. */
export function jaasUsers(entry: JaasEntry): Map<string, string> {
  const users = new Map<string, string>()
  for (const [k, v] of Object.entries(entry.options)) if (k.startsWith('user_') && k.length > 5) users.set(k.slice(5), v)
  return users
}
