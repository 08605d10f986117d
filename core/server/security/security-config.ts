// Broker security keys, by Kafka's server.properties names: the listener-name → security
// protocol map, TLS keystores/truststores (PEM as in KIP-651, and PKCS12), client auth, and SASL
// mechanisms. Every ssl.* / sasl.* key may be overridden per listener with
// `listener.name.<listener>.<key>`, and SASL users come from
// `listener.name.<listener>.<mechanism>.sasl.jaas.config`, as in Kafka.
import { atLeast, defineConfig, eachOneOf, oneOf, type ConfigOf, type RawConfig } from '../../../config'

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const
export type SecurityProtocol = typeof SECURITY_PROTOCOLS[number]

/** Every entry NAME:PROTOCOL with a known protocol. */
function protocolMap(entries: string[]): string | undefined {
  for (const e of entries) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*):([A-Za-z_]+)$/.exec(e)
    if (m === null) return `"${e}" is not LISTENER_NAME:SECURITY_PROTOCOL`
    if (!(SECURITY_PROTOCOLS as readonly string[]).includes(m[2].toUpperCase())) return `"${e}": security protocol must be one of ${SECURITY_PROTOCOLS.join(', ')}`
  }
  return undefined
}

/** The keys a listener may override with listener.name.<listener>.<key>. */
export const ListenerSecurityConfigDef = defineConfig('Broker security (godwit broker)', {
  'ssl.keystore.type': { type: 'string', default: 'JKS', validate: oneOf('JKS', 'PKCS12', 'PEM'), importance: 'medium',
    doc: 'Keystore format: PEM (KIP-651: a file holding the private key and certificate chain, or ssl.keystore.key + ssl.keystore.certificate.chain) or PKCS12. JKS (Kafka\'s default) is refused with the command that converts it.' },
  'ssl.keystore.location': { type: 'string', default: null, importance: 'high',
    doc: 'Keystore file: PEM (private key and certificate chain) or PKCS12, per ssl.keystore.type.' },
  'ssl.keystore.password': { type: 'password', default: null, importance: 'high',
    doc: 'Password of a PKCS12 keystore (for PEM, an encrypted key\'s password is ssl.key.password).' },
  'ssl.keystore.key': { type: 'password', default: null, importance: 'high',
    doc: 'Private key in PEM, inline (ssl.keystore.type=PEM).' },
  'ssl.keystore.certificate.chain': { type: 'string', default: null, importance: 'high',
    doc: 'Certificate chain in PEM, inline (ssl.keystore.type=PEM).' },
  'ssl.key.password': { type: 'password', default: null, importance: 'high',
    doc: 'Password of an encrypted private key (PEM); for PKCS12 defaults to ssl.keystore.password.' },
  'ssl.truststore.type': { type: 'string', default: 'JKS', validate: oneOf('JKS', 'PKCS12', 'PEM'), importance: 'medium',
    doc: 'Truststore format for client certificates: PEM or PKCS12 (JKS is refused with the command that converts it).' },
  'ssl.truststore.location': { type: 'string', default: null, importance: 'high',
    doc: 'Truststore file (CA certificates that sign client certificates), per ssl.truststore.type.' },
  'ssl.truststore.password': { type: 'password', default: null, importance: 'high',
    doc: 'Password of a PKCS12 truststore.' },
  'ssl.truststore.certificates': { type: 'string', default: null, importance: 'high',
    doc: 'Trusted CA certificates in PEM, inline (ssl.truststore.type=PEM).' },
  'ssl.client.auth': { type: 'string', default: 'none', validate: oneOf('none', 'requested', 'required'), importance: 'medium',
    doc: 'Client certificates on SSL/SASL_SSL listeners: none, requested (verified when given) or required. With a certificate the SSL principal is User:<its distinguished name>.' },
  'ssl.enabled.protocols': { type: 'list', default: ['TLSv1.2', 'TLSv1.3'], validate: eachOneOf('TLSv1.2', 'TLSv1.3'), importance: 'medium',
    doc: 'TLS versions accepted.' },
  'sasl.server.max.receive.size': { type: 'int', default: 524288, validate: atLeast(64), importance: 'low',
    doc: 'Largest request accepted on a SASL listener before the client has authenticated; a bigger one closes the connection (so unauthenticated clients cannot make the broker buffer socket.request.max.bytes).' },
  'sasl.enabled.mechanisms': { type: 'list', default: ['GSSAPI'], importance: 'medium',
    doc: 'SASL mechanisms on SASL_PLAINTEXT/SASL_SSL listeners: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512. Kafka\'s default GSSAPI (Kerberos) and OAUTHBEARER are not supported: set this when a listener uses SASL.' },
})

export const SecurityConfigDef = ListenerSecurityConfigDef.extend('Broker security (godwit broker)', {
  'listener.security.protocol.map': { type: 'list', default: ['PLAINTEXT:PLAINTEXT', 'SSL:SSL', 'SASL_PLAINTEXT:SASL_PLAINTEXT', 'SASL_SSL:SASL_SSL'], validate: protocolMap, importance: 'medium',
    doc: 'Security protocol of each listener name (NAME:PROTOCOL,...), as Kafka.' },
  'security.inter.broker.protocol': { type: 'string', default: 'PLAINTEXT', importance: 'low',
    doc: 'Accepted for existing server.properties files; unused (the logical brokers of one process do not talk over the wire).' },
  'inter.broker.listener.name': { type: 'string', default: null, importance: 'low',
    doc: 'Accepted for existing server.properties files; unused (see security.inter.broker.protocol).' },
  'sasl.mechanism.inter.broker.protocol': { type: 'string', default: 'GSSAPI', importance: 'low',
    doc: 'Accepted for existing server.properties files; unused (see security.inter.broker.protocol).' },
})

export type ListenerSecurityConfig = ConfigOf<typeof ListenerSecurityConfigDef>

const OVERRIDE = /^listener\.name\.([A-Za-z0-9_]+)\.(.+)$/

/**
 * Splits `listener.name.<listener>.<key>` keys (which no fixed ConfigDef can list) from the rest.
 * Listener names are matched case-insensitively (Kafka writes them in lower case in these keys).
 */
export function splitListenerOverrides(raw: RawConfig): { base: RawConfig; overrides: ListenerOverrides } {
  const base: RawConfig = {}
  const overrides: ListenerOverrides = {}
  for (const [k, v] of Object.entries(raw)) {
    const m = OVERRIDE.exec(k)
    if (m === null) { base[k] = v; continue }
    const name = m[1].toUpperCase()
    overrides[name] ??= {}
    overrides[name][m[2]] = v === undefined || v === null ? undefined : Array.isArray(v) ? v.join(',') : String(v)
  }
  return { base, overrides }
}

/** Per listener name (upper case): key → value of its listener.name.* settings. */
export type ListenerOverrides = Record<string, Record<string, string | undefined>>
