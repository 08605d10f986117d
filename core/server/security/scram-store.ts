// SCRAM credentials set at run time (AlterUserScramCredentials, as kafka-configs --alter
// --add-config 'SCRAM-SHA-512=[password=...]' does), cluster-wide and kept in the data dir. Kafka
// keeps them in its metadata log; Godwit writes one small file atomically (temp, fsync, rename).
// Only salted, derived keys are stored, never passwords.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ErrorCode } from '../../protocol/error-codes'
import { fromSaltedPassword, type ScramCredential, type ScramMechanism } from './scram'

export const STORE_FILE = 'scram-credentials.json'

/** Kafka's ScramMechanism type codes on the wire. */
export const MECHANISM_CODES: Record<number, ScramMechanism> = { 1: 'SCRAM-SHA-256', 2: 'SCRAM-SHA-512' }
const CODE_OF: Record<ScramMechanism, number> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 }

/** Kafka's bounds on SCRAM iterations. */
export const MIN_ITERATIONS = 4096
export const MAX_ITERATIONS = 16384

export interface Alteration { user: string; errorCode: number; errorMessage: string | null }

type Stored = Record<string, Partial<Record<ScramMechanism, { salt: string; iterations: number; storedKey: string; serverKey: string }>>>

export class ScramCredentialStore {
  private readonly users = new Map<string, Map<ScramMechanism, ScramCredential>>()

  private constructor(private readonly file: string) {}

  static load(dataDir: string): ScramCredentialStore {
    const store = new ScramCredentialStore(path.join(dataDir, STORE_FILE))
    if (!fs.existsSync(store.file)) return store
    const stored = (JSON.parse(fs.readFileSync(store.file, 'utf8')) as { users: Stored }).users
    for (const [user, mechs] of Object.entries(stored)) {
      const m = new Map<ScramMechanism, ScramCredential>()
      for (const [mech, c] of Object.entries(mechs)) {
        m.set(mech as ScramMechanism, { salt: Buffer.from(c.salt, 'base64'), iterations: c.iterations, storedKey: Buffer.from(c.storedKey, 'base64'), serverKey: Buffer.from(c.serverKey, 'base64') })
      }
      store.users.set(user, m)
    }
    return store
  }

  get(mechanism: ScramMechanism, user: string): ScramCredential | undefined {
    return this.users.get(user)?.get(mechanism)
  }

  /** DescribeUserScramCredentials: null or empty = every user with a credential. */
  describe(names: string[] | null): { user: string; errorCode: number; errorMessage: string | null; credentialInfos: { mechanism: number; iterations: number }[] }[] {
    const wanted = names === null || names.length === 0 ? [...this.users.keys()].sort() : names
    const seen = new Map<string, number>()
    for (const n of wanted) seen.set(n, (seen.get(n) ?? 0) + 1)
    return [...new Set(wanted)].map((user) => {
      if (seen.get(user)! > 1) return { user, errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'Cannot describe SCRAM credentials for the same user twice in a single request', credentialInfos: [] }
      const creds = this.users.get(user)
      if (creds === undefined) return { user, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: `Attempt to describe a user credential that does not exist: ${user}`, credentialInfos: [] }
      const credentialInfos = [...creds].map(([m, c]) => ({ mechanism: CODE_OF[m], iterations: c.iterations })).sort((a, b) => a.mechanism - b.mechanism)
      return { user, errorCode: ErrorCode.NONE, errorMessage: null, credentialInfos }
    })
  }

  /**
   * AlterUserScramCredentials: one result per user, in request order. A user's alterations apply
   * all together or not at all; the file is written once, before the answer.
   */
  alter(deletions: { name: string; mechanism: number }[], upsertions: { name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer }[]): Alteration[] {
    type Op = { name: string; mechanism: number; upsert?: { iterations: number; salt: Buffer; saltedPassword: Buffer } }
    const ops: Op[] = [...deletions.map((d) => ({ ...d })), ...upsertions.map((u) => ({ name: u.name, mechanism: u.mechanism, upsert: u }))]
    const byUser = new Map<string, Op[]>()
    for (const op of ops) byUser.set(op.name, [...(byUser.get(op.name) ?? []), op])
    const results: Alteration[] = []
    let changed = false
    for (const [user, list] of byUser) {
      const problem = this.check(user, list)
      if (problem !== undefined) { results.push({ user, ...problem }); continue }
      const creds = this.users.get(user) ?? new Map<ScramMechanism, ScramCredential>()
      for (const op of list) {
        const mech = MECHANISM_CODES[op.mechanism]
        if (op.upsert === undefined) creds.delete(mech)
        else creds.set(mech, fromSaltedPassword(mech, op.upsert.saltedPassword, op.upsert.salt, op.upsert.iterations))
      }
      if (creds.size === 0) this.users.delete(user)
      else this.users.set(user, creds)
      changed = true
      results.push({ user, errorCode: ErrorCode.NONE, errorMessage: null })
    }
    if (changed) this.save()
    return results
  }

  private check(user: string, list: { mechanism: number; upsert?: { iterations: number; salt: Buffer; saltedPassword: Buffer } }[]): { errorCode: number; errorMessage: string } | undefined {
    if (user === '') return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Username must not be empty' }
    const mechs = list.map((op) => op.mechanism)
    if (new Set(mechs).size !== mechs.length) return { errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'A user credential cannot be altered twice in the same request' }
    for (const op of list) {
      const mech = MECHANISM_CODES[op.mechanism]
      if (mech === undefined) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: `Unknown SCRAM mechanism ${op.mechanism}` }
      if (op.upsert === undefined) {
        if (this.get(mech, user) === undefined) return { errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'Attempt to delete a user credential that does not exist' }
        continue
      }
      if (op.upsert.iterations < MIN_ITERATIONS) return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: `Too few iterations (${op.upsert.iterations}); at least ${MIN_ITERATIONS}` }
      if (op.upsert.iterations > MAX_ITERATIONS) return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: `Too many iterations (${op.upsert.iterations}); at most ${MAX_ITERATIONS}` }
      if (op.upsert.salt.length === 0 || op.upsert.saltedPassword.length === 0) return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Salt and salted password must not be empty' }
    }
    return undefined
  }

  private save(): void {
    const users: Stored = {}
    for (const [user, creds] of this.users) {
      users[user] = {}
      for (const [m, c] of creds) users[user][m] = { salt: c.salt.toString('base64'), iterations: c.iterations, storedKey: c.storedKey.toString('base64'), serverKey: c.serverKey.toString('base64') }
    }
    const tmp = `${this.file}.tmp`
    const fd = fs.openSync(tmp, 'w', 0o600)
    try {
      fs.writeSync(fd, JSON.stringify({ version: 1, users }, null, 1))
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, this.file)
    let dir: number | undefined
    try { dir = fs.openSync(path.dirname(this.file), 'r'); fs.fsyncSync(dir) } catch { /* directory fsync unsupported */ } finally { if (dir !== undefined) fs.closeSync(dir) }
  }
}
