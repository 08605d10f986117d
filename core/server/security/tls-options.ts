// TLS server options for one SSL / SASL_SSL listener from Kafka's ssl.* keys: PEM keystores and
// truststores (files or inline, KIP-651) and PKCS12 through node:tls's pfx. JKS has no reader in
// Node, so it is refused with the command that converts it.
import * as fs from 'node:fs'
import type * as tls from 'node:tls'
import { ConfigError } from '../../../config'
import type { ListenerSecurityConfig } from './security-config'

export interface TlsServerOptions extends tls.TlsOptions {
  clientAuth: 'none' | 'requested' | 'required'
}

const JKS_HELP = (kind: string, listener: string): string =>
  `listener ${listener}: JKS ${kind}s are not supported; convert to PKCS12 with ` +
  `"keytool -importkeystore -srckeystore ${kind}.jks -destkeystore ${kind}.p12 -deststoretype PKCS12" ` +
  `and set ssl.${kind}.type=PKCS12 (or to PEM with "openssl pkcs12 -in ${kind}.p12 -nodes -out ${kind}.pem" and ssl.${kind}.type=PEM)`

/** A JKS-typed store that is really a PEM file gets told so, rather than how to convert JKS. */
function jksError(kind: 'keystore' | 'truststore', location: string | undefined, listener: string): InstanceType<typeof ConfigError> {
  let head = ''
  try { head = location === undefined ? '' : fs.readFileSync(location).subarray(0, 4096).toString('latin1') } catch { /* reported as JKS */ }
  if (head.includes('-----BEGIN ')) return new ConfigError(`listener ${listener}: ssl.${kind}.location ${location} is a PEM file but ssl.${kind}.type is JKS (Kafka's default); set ssl.${kind}.type=PEM`)
  return new ConfigError(JKS_HELP(kind, listener))
}

function readFile(path: string, key: string, listener: string): Buffer {
  try {
    return fs.readFileSync(path)
  } catch (err) {
    throw new ConfigError(`listener ${listener}: cannot read ${key} ${path}: ${(err as Error).message}`)
  }
}

export function tlsServerOptions(c: ListenerSecurityConfig, listener: string): TlsServerOptions {
  const out: TlsServerOptions = { clientAuth: c['ssl.client.auth'] as TlsServerOptions['clientAuth'] }
  const versions = c['ssl.enabled.protocols']
  out.minVersion = versions.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3'
  out.maxVersion = versions.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2'

  const ksType = c['ssl.keystore.type'].toUpperCase()
  const ksLocation = c['ssl.keystore.location']
  const inlineKey = c['ssl.keystore.key']
  if (ksType === 'PEM') {
    if (inlineKey !== undefined) {
      const chain = c['ssl.keystore.certificate.chain']
      if (chain === undefined) throw new ConfigError(`listener ${listener}: ssl.keystore.key is set but ssl.keystore.certificate.chain is not`)
      out.key = inlineKey
      out.cert = chain
    } else if (ksLocation !== undefined) {
      // One PEM file holds the private key and the certificate chain; node:tls picks each out.
      const pem = readFile(ksLocation, 'ssl.keystore.location', listener)
      out.key = pem
      out.cert = pem
    }
    if (c['ssl.key.password'] !== undefined) out.passphrase = c['ssl.key.password']
  } else if (ksType === 'PKCS12') {
    if (ksLocation !== undefined) {
      out.pfx = readFile(ksLocation, 'ssl.keystore.location', listener)
      out.passphrase = c['ssl.key.password'] ?? c['ssl.keystore.password']
    }
  } else if (ksLocation !== undefined || inlineKey !== undefined) {
    throw inlineKey !== undefined
      ? new ConfigError(`listener ${listener}: ssl.keystore.key is PEM; set ssl.keystore.type=PEM`)
      : jksError('keystore', ksLocation, listener)
  }
  if (out.key === undefined && out.pfx === undefined) {
    throw new ConfigError(`listener ${listener} uses TLS but has no keystore: set ssl.keystore.type=PEM and ssl.keystore.location (a PEM file with the private key and certificate chain), or ssl.keystore.key + ssl.keystore.certificate.chain`)
  }

  const tsType = c['ssl.truststore.type'].toUpperCase()
  const tsLocation = c['ssl.truststore.location']
  if (tsType === 'PEM') {
    out.ca = c['ssl.truststore.certificates'] ?? (tsLocation === undefined ? undefined : readFile(tsLocation, 'ssl.truststore.location', listener))
  } else if (tsType === 'PKCS12' && tsLocation !== undefined) {
    throw new ConfigError(`listener ${listener}: PKCS12 truststores are not supported; export the CA certificates to PEM ("openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem") and set ssl.truststore.type=PEM`)
  } else if (tsLocation !== undefined || c['ssl.truststore.certificates'] !== undefined) {
    if (tsType === 'JKS' && c['ssl.truststore.certificates'] === undefined) throw jksError('truststore', tsLocation, listener)
    out.ca = c['ssl.truststore.certificates']
  }
  if (out.clientAuth !== 'none' && out.ca === undefined) {
    throw new ConfigError(`listener ${listener}: ssl.client.auth=${out.clientAuth} needs a truststore (ssl.truststore.type=PEM and ssl.truststore.location) to verify client certificates`)
  }
  out.requestCert = out.clientAuth !== 'none'
  out.rejectUnauthorized = out.clientAuth === 'required'
  return out
}
