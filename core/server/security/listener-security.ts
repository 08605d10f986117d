// What each listener of the broker speaks: its security protocol (from
// listener.security.protocol.map), its TLS options, its SASL mechanisms and users. Resolved once at
// start-up, so every configuration mistake is reported before any port opens.
import type * as tls from 'node:tls'
import { ConfigError } from '../../../config'
import { jaasUsers, parseJaas } from './jaas'
import { scramCredential, type ScramCredential, type ScramMechanism } from './scram'
import type { SaslServerConfig } from './sasl-session'
import { ListenerSecurityConfigDef, SecurityConfigDef, type ListenerOverrides, type SecurityProtocol } from './security-config'
import { tlsServerOptions, type TlsServerOptions } from './tls-options'

export interface ListenerSecurity {
  /** Listener name, upper case (PLAINTEXT, SASL_SSL, or a custom name). */
  name: string
  protocol: SecurityProtocol
  tls?: TlsServerOptions
  sasl?: SaslServerConfig
}

export const PLAINTEXT_LISTENER: ListenerSecurity = Object.freeze({ name: 'PLAINTEXT', protocol: 'PLAINTEXT' })

const SUPPORTED_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']
const LOGIN_MODULE: Record<string, string> = {
  'PLAIN': 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
}

/** The security protocol of a listener name, by listener.security.protocol.map. */
export function protocolOf(map: string[], name: string): SecurityProtocol {
  for (const entry of map) {
    const [n, p] = entry.split(':')
    if (n.toUpperCase() === name.toUpperCase()) return p.toUpperCase() as SecurityProtocol
  }
  throw new ConfigError(`listener ${name} has no entry in listener.security.protocol.map (${map.join(',')}): add ${name}:<PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL>`)
}

/**
 * Resolves one listener. `config` holds the broker-wide keys (any object with the
 * SecurityConfigDef names), `overrides` the listener.name.* settings.
 */
export function resolveListenerSecurity(config: Record<string, unknown>, overrides: ListenerOverrides, listenerName: string): ListenerSecurity {
  const name = listenerName.toUpperCase()
  const protocol = protocolOf(config['listener.security.protocol.map'] as string[], name)
  const own = overrides[name] ?? {}
  // Broker-wide values, then this listener's listener.name.<name>.<key> on top.
  const raw: Record<string, string | string[] | undefined> = {}
  for (const key of Object.keys(ListenerSecurityConfigDef.keys)) raw[key] = config[key] as string | string[] | undefined
  const jaas: Record<string, string> = {}
  for (const [k, v] of Object.entries(own)) {
    const m = /^([a-z0-9-]+)\.sasl\.jaas\.config$/i.exec(k)
    if (m !== null) { if (v !== undefined) jaas[m[1].toUpperCase()] = v; continue }
    if (!(k in ListenerSecurityConfigDef.keys)) {
      throw new ConfigError(`listener.name.${name.toLowerCase()}.${k}: not a per-listener setting (allowed: ssl.*, sasl.enabled.mechanisms, <mechanism>.sasl.jaas.config)`)
    }
    raw[k] = v
  }
  const c = ListenerSecurityConfigDef.parse(raw)
  const out: ListenerSecurity = { name, protocol }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') out.tls = tlsServerOptions(c, name)
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') out.sasl = saslConfig(c['sasl.enabled.mechanisms'], jaas, name, c['sasl.server.max.receive.size'])
  return out
}

function saslConfig(enabled: string[], jaas: Record<string, string>, listener: string, maxReceiveSize: number): SaslServerConfig {
  const mechanisms = enabled.map((m) => m.toUpperCase())
  const unsupported = mechanisms.filter((m) => !SUPPORTED_MECHANISMS.includes(m))
  if (unsupported.length > 0 || mechanisms.length === 0) {
    throw new ConfigError(`listener ${listener}: SASL mechanism${unsupported.length === 1 ? '' : 's'} ${unsupported.join(', ') || '(none)'} not supported by Godwit; set sasl.enabled.mechanisms to any of ${SUPPORTED_MECHANISMS.join(', ')} (GSSAPI, Kafka's default, and OAUTHBEARER are not available)`)
  }
  const out: SaslServerConfig = { mechanisms, maxReceiveSize, plainUsers: new Map(), scram: new Map() }
  for (const mech of mechanisms) {
    const key = `listener.name.${listener.toLowerCase()}.${mech.toLowerCase()}.sasl.jaas.config`
    const text = jaas[mech]
    // SCRAM users may instead be set at run time (AlterUserScramCredentials); PLAIN has no other source.
    if (text === undefined) {
      if (mech === 'PLAIN') throw new ConfigError(`listener ${listener} enables SASL ${mech} but ${key} is not set (e.g. ${LOGIN_MODULE[mech]} required user_alice="alice-secret";)`)
      continue
    }
    const entry = parseJaas(text, key)
    if (entry.loginModule !== LOGIN_MODULE[mech]) throw new ConfigError(`${key}: ${mech} needs ${LOGIN_MODULE[mech]}, not ${entry.loginModule}`)
    const users = jaasUsers(entry)
    if (mech === 'PLAIN') {
      if (users.size === 0) throw new ConfigError(`${key}: no users; add user_<name>="<password>" entries`)
      out.plainUsers = users
    } else {
      // Godwit convenience: SCRAM users from the JAAS text (Kafka keeps them in cluster metadata).
      const creds = new Map<string, ScramCredential>()
      for (const [user, password] of users) creds.set(user, scramCredential(mech as ScramMechanism, password))
      out.scram.set(mech as ScramMechanism, creds)
    }
  }
  return out
}

/** Kafka's SSL principal: the certificate subject as an RFC 2253 name (most specific part first). */
export function sslPrincipal(socket: tls.TLSSocket): string | undefined {
  const cert = socket.getPeerX509Certificate()
  if (cert === undefined) return undefined
  // node gives one "KEY=value" line per attribute, least specific first, values already escaped as
  // RFC 2253 wants (O=Godwit\, Inc.); Kafka's principal lists them most specific first.
  const parts = cert.subject.split('\n').reverse()
  return `User:${parts.join(',')}`
}

export { SecurityConfigDef }
