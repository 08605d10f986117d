// SCRAM (RFC 5802, RFC 7677) from the server's side: stored credentials derived from a password,
// and the two-round exchange Kafka runs inside SaslAuthenticate requests.
import * as crypto from 'node:crypto'

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

export interface ScramCredential {
  salt: Buffer
  iterations: number
  storedKey: Buffer
  serverKey: Buffer
}

/** Kafka's default (and minimum) iteration count for SCRAM credentials. */
export const SCRAM_ITERATIONS = 4096

const HASH: Record<ScramMechanism, { name: string; bytes: number }> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
}

const hmac = (hash: string, key: Buffer, data: string | Buffer): Buffer => crypto.createHmac(hash, key).update(data).digest()

export function scramCredential(mechanism: ScramMechanism, password: string, salt = crypto.randomBytes(16), iterations = SCRAM_ITERATIONS): ScramCredential {
  const h = HASH[mechanism]
  return fromSaltedPassword(mechanism, crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, h.bytes, h.name), salt, iterations)
}

/** The stored credential from a salted password (what AlterUserScramCredentials carries). */
export function fromSaltedPassword(mechanism: ScramMechanism, salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  const h = HASH[mechanism]
  const clientKey = hmac(h.name, salted, 'Client Key')
  return {
    salt, iterations,
    storedKey: crypto.createHash(h.name).update(clientKey).digest(),
    serverKey: hmac(h.name, salted, 'Server Key'),
  }
}

/** The outcome of one client message: bytes to send back, and whether the exchange is over. */
export type SaslStep =
  | { kind: 'continue'; reply: Buffer }
  | { kind: 'done'; reply: Buffer; user: string }
  /** illegalState: the request came at the wrong point of the exchange (ILLEGAL_SASL_STATE, not a bad credential). */
  | { kind: 'failed'; message: string; illegalState?: boolean }

/** One SCRAM exchange on one connection. */
export class ScramServer {
  private state: 'first' | 'final' | 'over' = 'first'
  private user = ''
  private nonce = ''
  private clientFirstBare = ''
  private serverFirst = ''
  private gs2Header = ''
  private credential: ScramCredential | undefined

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly lookup: (user: string) => ScramCredential | undefined,
    /** The server's part of the nonce; random unless a test pins it. */
    private readonly serverNonce: () => string = () => crypto.randomBytes(18).toString('base64').replace(/[+/=]/g, ''),
  ) {}

  step(message: Buffer): SaslStep {
    const text = message.toString('utf8')
    if (this.state === 'first') return this.first(text)
    if (this.state === 'final') return this.final(text)
    return this.fail('SCRAM exchange already finished')
  }

  private invalid(): SaslStep {
    return this.fail(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.mechanism}`)
  }

  private fail(message: string): SaslStep {
    this.state = 'over'
    return { kind: 'failed', message }
  }

  // client-first-message = gs2-header client-first-message-bare; gs2-header = cbind-flag "," [authzid] ","
  private first(text: string): SaslStep {
    const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/.exec(text)
    if (m === null) return this.fail('Invalid SCRAM client first message')
    if (m[1].startsWith('p=')) return this.fail('SCRAM channel binding is not supported')
    this.gs2Header = `${m[1]},${m[2] ?? ''},`
    this.clientFirstBare = m[3]
    const attrs = attributes(m[3])
    const user = attrs.get('n')
    const clientNonce = attrs.get('r')
    if (user === undefined || clientNonce === undefined || clientNonce === '') return this.fail('Invalid SCRAM client first message')
    this.user = user.replace(/=2C/g, ',').replace(/=3D/g, '=')
    if (m[2] !== undefined && m[2].slice(2) !== '' && m[2].slice(2) !== this.user) {
      return this.fail('Authentication failed: Client requested an authorization id that is different from username')
    }
    this.credential = this.lookup(this.user)
    if (this.credential === undefined) return this.invalid()
    this.nonce = clientNonce + this.serverNonce()
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`
    this.state = 'final'
    return { kind: 'continue', reply: Buffer.from(this.serverFirst, 'utf8') }
  }

  // client-final-message = "c=" base64(gs2-header) ",r=" nonce ["," extensions] ",p=" proof
  private final(text: string): SaslStep {
    const at = text.lastIndexOf(',p=')
    if (at < 0) return this.fail('Invalid SCRAM client final message')
    const withoutProof = text.slice(0, at)
    const attrs = attributes(withoutProof)
    // As Kafka, the nonce need only end with ours: librdkafka sends its own nonce followed by
    // the whole server nonce (which already starts with its own). The proof covers it either way.
    if (attrs.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64') || !(attrs.get('r') ?? '').endsWith(this.nonce)) {
      return this.fail('Invalid SCRAM client final message: channel binding or nonce does not match')
    }
    const cred = this.credential!
    const h = HASH[this.mechanism].name
    const proof = Buffer.from(text.slice(at + 3), 'base64')
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`
    const clientSignature = hmac(h, cred.storedKey, authMessage)
    if (proof.length !== clientSignature.length) return this.invalid()
    const clientKey = Buffer.alloc(proof.length)
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ clientSignature[i]
    const stored = crypto.createHash(h).update(clientKey).digest()
    if (!crypto.timingSafeEqual(stored, cred.storedKey)) return this.invalid()
    this.state = 'over'
    const serverSignature = hmac(h, cred.serverKey, authMessage).toString('base64')
    return { kind: 'done', reply: Buffer.from(`v=${serverSignature}`, 'utf8'), user: this.user }
  }
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of text.split(',')) {
    const eq = part.indexOf('=')
    if (eq === 1) out.set(part[0], part.slice(2))
  }
  return out
}
