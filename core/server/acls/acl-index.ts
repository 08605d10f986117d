// The ACLs arranged for authorization, which runs on every request: per resource type, literal
// ACLs by name, prefixed ACLs by prefix, and the `*` wildcard ones, so finding the ACLs that apply
// to a name costs a few map lookups (one per prefix length) instead of a scan of every ACL.
import { PatternType, WILDCARD, type AclBinding, type ResourceType } from './acl-types'

interface TypeIndex {
  all: AclBinding[]
  literal: Map<string, AclBinding[]>
  prefixed: Map<string, AclBinding[]>
  wildcard: AclBinding[]
  /** Lengths of the prefixes in use, so lookups try only those. */
  prefixLengths: number[]
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
  const list = m.get(k)
  if (list === undefined) m.set(k, [v])
  else list.push(v)
}

export class AclIndex {
  private readonly types = new Map<ResourceType, TypeIndex>()

  constructor(bindings: Iterable<AclBinding>) {
    for (const b of bindings) {
      let t = this.types.get(b.resourceType)
      if (t === undefined) {
        t = { all: [], literal: new Map(), prefixed: new Map(), wildcard: [], prefixLengths: [] }
        this.types.set(b.resourceType, t)
      }
      t.all.push(b)
      if (b.patternType === PatternType.PREFIXED) push(t.prefixed, b.resourceName, b)
      else if (b.resourceName === WILDCARD) t.wildcard.push(b)
      else push(t.literal, b.resourceName, b)
    }
    for (const t of this.types.values()) t.prefixLengths = [...new Set([...t.prefixed.keys()].map((p) => p.length))].sort((a, b) => a - b)
  }

  /** Every ACL on resources of this type (a shared array: do not modify). */
  ofType(resourceType: ResourceType): readonly AclBinding[] {
    return this.types.get(resourceType)?.all ?? []
  }

  /** The ACLs that apply to one resource: its literal name, the wildcard, and every matching prefix. */
  applying(resourceType: ResourceType, name: string): AclBinding[] {
    const t = this.types.get(resourceType)
    if (t === undefined) return []
    const out = [...(t.literal.get(name) ?? []), ...t.wildcard]
    for (const len of t.prefixLengths) {
      if (len > name.length) break
      const hit = t.prefixed.get(name.slice(0, len))
      if (hit !== undefined) out.push(...hit)
    }
    return out
  }
}
