// The cluster's ACLs, kept in memory and in <data dir>/acls.json (written atomically: temp file,
// fsync, rename). All logical brokers of a process share one store, so ACLs are cluster-wide
// state, as in Kafka where they live in the metadata log. Enum values are stored by name so the
// file reads like kafka-acls output and survives any renumbering of our own enums.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { writeFileAtomic } from '../../log/io'
import { AclIndex } from './acl-index'
import { creationProblem, filterMatches } from './acl-match'
import {
  AclOperation, AclPermissionType, PatternType, ResourceType, bindingKey, enumName,
  type AclBinding, type AclBindingFilter,
} from './acl-types'
import { AclStoreError } from './errors'

export const ACL_FILE = 'acls.json'

interface StoredAcl {
  resourceType: string
  resourceName: string
  patternType: string
  principal: string
  host: string
  operation: string
  permissionType: string
}

export class AclStore {
  private readonly acls = new Map<string, AclBinding>()
  /** The ACLs arranged for authorization; rebuilt on the first read after a change. */
  private indexed: AclIndex | undefined

  private constructor(private readonly file: string | undefined) {}

  /** The store of a data directory (empty when it has no acls.json yet). */
  static open(dataDir: string): AclStore {
    const store = new AclStore(path.join(dataDir, ACL_FILE))
    store.load()
    return store
  }

  /** A store that persists nothing (unit tests). */
  static inMemory(): AclStore {
    return new AclStore(undefined)
  }

  get size(): number {
    return this.acls.size
  }

  all(): AclBinding[] {
    return [...this.acls.values()]
  }

  /** The ACLs arranged for authorization (see acl-index.ts). */
  get index(): AclIndex {
    this.indexed ??= new AclIndex(this.acls.values())
    return this.indexed
  }

  match(filter: AclBindingFilter): AclBinding[] {
    return this.all().filter((b) => filterMatches(filter, b))
  }

  /** Adds the bindings (an existing one is no error, as in Kafka) and persists once. */
  create(bindings: AclBinding[]): void {
    const added = bindings.filter((b) => !this.acls.has(bindingKey(b)))
    this.indexed = undefined
    for (const b of added) this.acls.set(bindingKey(b), { ...b })
    try {
      this.save()
    } catch (err) {
      for (const b of added) this.acls.delete(bindingKey(b))
      throw err
    }
  }

  /** Removes what each filter matches and persists once; returns the removed bindings per filter. */
  delete(filters: AclBindingFilter[]): AclBinding[][] {
    const removed = filters.map((f) => {
      const hit = this.match(f)
      for (const b of hit) this.acls.delete(bindingKey(b))
      return hit
    })
    this.indexed = undefined
    try {
      this.save()
    } catch (err) {
      for (const b of removed.flat()) this.acls.set(bindingKey(b), b)
      throw err
    }
    return removed
  }

  private save(): void {
    if (this.file === undefined) return
    const acls: StoredAcl[] = this.all().map((b) => ({
      resourceType: ResourceType[b.resourceType], resourceName: b.resourceName, patternType: PatternType[b.patternType],
      principal: b.principal, host: b.host, operation: AclOperation[b.operation], permissionType: AclPermissionType[b.permissionType],
    }))
    try {
      writeFileAtomic(this.file, JSON.stringify({ version: 1, acls }, null, 1) + '\n')
    } catch (err) {
      throw new AclStoreError(`cannot write ${this.file}: ${(err as Error).message}`, { cause: err })
    }
  }

  private load(): void {
    const file = this.file!
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw new AclStoreError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
    }
    let doc: { version?: unknown; acls?: unknown }
    try {
      doc = JSON.parse(text) as typeof doc
    } catch (err) {
      throw new AclStoreError(`${file} is not valid JSON (${(err as Error).message}); fix it or remove it (which removes every ACL)`, { cause: err })
    }
    if (doc.version !== 1 || !Array.isArray(doc.acls)) throw new AclStoreError(`${file} is not an ACL file of version 1 ({"version":1,"acls":[...]})`)
    doc.acls.forEach((entry: unknown, i: number) => {
      const b = fromStored(entry as StoredAcl)
      const problem = b === undefined ? 'unknown or missing fields' : creationProblem(b)
      if (problem !== undefined) throw new AclStoreError(`${file}: ACL #${i} (${JSON.stringify(entry)}) is invalid: ${problem}`)
      this.acls.set(bindingKey(b!), b!)
      this.indexed = undefined
    })
  }
}

function code(e: Record<string, string | number>, name: unknown): number | undefined {
  if (typeof name !== 'string') return undefined
  const c = e[name]
  return typeof c === 'number' && enumName(e, c) === name ? c : undefined
}

function fromStored(s: StoredAcl): AclBinding | undefined {
  if (s === null || typeof s !== 'object') return undefined
  const resourceType = code(ResourceType, s.resourceType)
  const patternType = code(PatternType, s.patternType)
  const operation = code(AclOperation, s.operation)
  const permissionType = code(AclPermissionType, s.permissionType)
  const strings = [s.resourceName, s.principal, s.host].every((x) => typeof x === 'string')
  if (resourceType === undefined || patternType === undefined || operation === undefined || permissionType === undefined || !strings) return undefined
  return {
    resourceType, resourceName: s.resourceName, patternType: patternType as AclBinding['patternType'],
    principal: s.principal, host: s.host, operation, permissionType: permissionType as AclBinding['permissionType'],
  }
}
