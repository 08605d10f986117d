// Kafka's client settings (bootstrap.servers, security.protocol, ssl.*, sasl.*) → a kafkajs client
// configuration. The one mapping: the Connect worker's clients and MM2's per-cluster clients use it.
import * as fs from 'node:fs'
import type { KafkaConfig, SASLOptions } from 'kafkajs'
import { logLevel } from 'kafkajs'
import { KafkaClientConfigError } from '../errors'

export function kafkajsConfig(props: Record<string, string>, clientId: string): KafkaConfig {
  const brokers = (props['bootstrap.servers'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (brokers.length === 0) throw new KafkaClientConfigError(`bootstrap.servers is missing for client ${clientId}`)
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase()
  const config: KafkaConfig = {
    brokers,
    clientId: props['client.id'] ?? clientId,
    logLevel: logLevel.NOTHING,
    requestTimeout: props['request.timeout.ms'] !== undefined ? Number(props['request.timeout.ms']) : 30000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') config.ssl = sslOptions(props)
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') config.sasl = saslOptions(props)
  return config
}

/**
 * Kafka's client ssl.* keys as node:tls options: PEM truststores (file or inline), PEM keystores
 * (one file with key and chain, or inline key + chain, KIP-651) and PKCS12 keystores (pfx).
 * Node cannot read JKS, nor CA certificates out of PKCS12: those are refused with the command that
 * converts them.
 */
function sslOptions(props: Record<string, string>): NonNullable<Exclude<KafkaConfig['ssl'], boolean>> {
  const read = (key: string): Buffer | undefined => {
    const file = props[key]
    if (file === undefined || file === '') return undefined
    try {
      return fs.readFileSync(file)
    } catch (err) {
      throw new KafkaClientConfigError(`${key} ${file} cannot be read: ${(err as Error).message}`)
    }
  }
  const isPem = (b: Buffer): boolean => /-----BEGIN /.test(b.subarray(0, 4096).toString('latin1'))
  const out: NonNullable<Exclude<KafkaConfig['ssl'], boolean>> = {}

  // Truststore: the CAs that sign the brokers' certificates (absent: Node's default CAs).
  const tsType = (props['ssl.truststore.type'] ?? 'JKS').toUpperCase()
  const inlineCa = props['ssl.truststore.certificates']
  const caFile = read('ssl.truststore.location')
  if (inlineCa !== undefined && inlineCa !== '') out.ca = [inlineCa]
  else if (caFile !== undefined) {
    // Kafka wants ssl.truststore.type=PEM for a PEM file; a PEM file left at the JKS default is read too.
    if (tsType === 'PKCS12' || !isPem(caFile)) {
      throw new KafkaClientConfigError(`ssl.truststore.location ${props['ssl.truststore.location']}: ${tsType} truststores cannot be read by kafkajs; export the CA certificates to PEM ` +
        `(${tsType === 'PKCS12' ? '"openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem"' : '"keytool -exportcert -rfc -keystore truststore.jks -alias <ca> -file ca.pem"'}) and set ssl.truststore.type=PEM`)
    }
    out.ca = [caFile.toString('utf8')]
  }

  // Keystore: the client certificate for brokers with ssl.client.auth.
  const ksType = (props['ssl.keystore.type'] ?? 'JKS').toUpperCase()
  const inlineKey = props['ssl.keystore.key']
  const ksFile = read('ssl.keystore.location')
  if (inlineKey !== undefined && inlineKey !== '') {
    out.key = inlineKey
    out.cert = props['ssl.keystore.certificate.chain']
    if (props['ssl.key.password'] !== undefined) out.passphrase = props['ssl.key.password']
  } else if (ksFile !== undefined) {
    if (ksType === 'PKCS12') {
      out.pfx = ksFile
      out.passphrase = props['ssl.key.password'] ?? props['ssl.keystore.password']
    } else if (isPem(ksFile)) {
      // One PEM file holds the private key and the certificate chain; node:tls picks each out.
      out.key = ksFile
      out.cert = ksFile
      if (props['ssl.key.password'] !== undefined) out.passphrase = props['ssl.key.password']
    } else {
      throw new KafkaClientConfigError(`ssl.keystore.location ${props['ssl.keystore.location']}: JKS keystores cannot be read by kafkajs; convert with ` +
        '"keytool -importkeystore -srckeystore keystore.jks -destkeystore keystore.p12 -deststoretype PKCS12" and set ssl.keystore.type=PKCS12')
    }
  }
  // Kafka verifies the broker's host name unless the algorithm is set empty.
  if (props['ssl.endpoint.identification.algorithm'] === '') out.checkServerIdentity = () => undefined
  return out
}

function saslOptions(props: Record<string, string>): SASLOptions {
  const mechanism = (props['sasl.mechanism'] ?? 'GSSAPI').toUpperCase()
  const jaas = props['sasl.jaas.config'] ?? ''
  const field = (name: string): string => new RegExp(`${name}\\s*=\\s*"([^"]*)"`).exec(jaas)?.[1] ?? ''
  const username = field('username')
  const password = field('password')
  switch (mechanism) {
    case 'PLAIN': return { mechanism: 'plain', username, password }
    case 'SCRAM-SHA-256': return { mechanism: 'scram-sha-256', username, password }
    case 'SCRAM-SHA-512': return { mechanism: 'scram-sha-512', username, password }
    default: throw new KafkaClientConfigError(`sasl.mechanism ${mechanism} is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`)
  }
}
