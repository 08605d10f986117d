// The SASL state of one connection on a SASL_PLAINTEXT / SASL_SSL listener, as Kafka's
// SaslServerAuthenticator: ApiVersions and one SaslHandshake, then SaslAuthenticate rounds until
// the mechanism is done. Anything else before that closes the connection; so does a failure,
// right after its SASL_AUTHENTICATION_FAILED answer.
import * as crypto from 'node:crypto'
import { ApiKey } from '../../protocol/api-keys'
import { ScramServer, type SaslStep, type ScramCredential, type ScramMechanism } from './scram'
import type { ScramCredentialStore } from './scram-store'

/** What a SASL listener accepts: its mechanisms and, per mechanism, its users. */
export interface SaslServerConfig {
  mechanisms: string[]
  /** sasl.server.max.receive.size: the largest request before authentication. */
  maxReceiveSize: number
  plainUsers: Map<string, string>
  scram: Map<ScramMechanism, Map<string, ScramCredential>>
}

/** The APIs a client may send before it has authenticated. */
const BEFORE_AUTH: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate])

export class SaslSession {
  state: 'handshake' | 'authenticate' | 'complete' | 'failed' = 'handshake'
  /** The authenticated user, once complete. */
  user: string | undefined
  private exchange: { step(message: Buffer): SaslStep } | undefined

  constructor(
    readonly config: SaslServerConfig,
    /** Credentials set at run time; they win over the listener's JAAS users of the same name. */
    private readonly store?: ScramCredentialStore,
  ) {}

  /** Whether a request of this API may be served now. */
  allows(apiKey: number): boolean {
    return this.state === 'complete' ? apiKey !== ApiKey.SaslHandshake : this.state !== 'failed' && BEFORE_AUTH.has(apiKey)
  }

  /** Picks the mechanism; false (and the session fails) when it is not enabled here. */
  handshake(mechanism: string): boolean {
    if (this.state !== 'handshake' || !this.config.mechanisms.includes(mechanism)) {
      this.state = 'failed'
      return false
    }
    this.state = 'authenticate'
    if (mechanism === 'PLAIN') this.exchange = { step: (m) => this.plain(m) }
    else {
      const mech = mechanism as ScramMechanism
      const users = this.config.scram.get(mech) ?? new Map<string, ScramCredential>()
      this.exchange = new ScramServer(mech, (u) => this.store?.get(mech, u) ?? users.get(u))
    }
    return true
  }

  authenticate(token: Buffer): SaslStep {
    if (this.state !== 'authenticate' || this.exchange === undefined) {
      const was = this.state
      this.state = 'failed'
      return { kind: 'failed', illegalState: true, message: `Unexpected SaslAuthenticate request in SASL state ${was}: a SaslHandshake must pick the mechanism first` }
    }
    const out = this.exchange.step(token)
    if (out.kind === 'failed') this.state = 'failed'
    if (out.kind === 'done') {
      this.state = 'complete'
      this.user = out.user
    }
    return out
  }

  // PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd
  private plain(token: Buffer): SaslStep {
    const parts = token.toString('utf8').split('\0')
    if (parts.length !== 3) return { kind: 'failed', message: 'Invalid SASL/PLAIN response: expected 3 tokens' }
    const [authzid, user, password] = parts
    if (user === '') return { kind: 'failed', message: 'Authentication failed: username not specified' }
    if (authzid !== '' && authzid !== user) return { kind: 'failed', message: 'Authentication failed: Client requested an authorization id that is different from username' }
    const expected = this.config.plainUsers.get(user)
    const a = crypto.createHash('sha256').update(password).digest()
    const b = crypto.createHash('sha256').update(expected ?? '').digest()
    if (expected === undefined || !crypto.timingSafeEqual(a, b)) return { kind: 'failed', message: 'Authentication failed: Invalid username or password' }
    return { kind: 'done', reply: Buffer.alloc(0), user }
  }
}
