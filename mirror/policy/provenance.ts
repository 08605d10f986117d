// Loop prevention that does not depend on topic names (needed by IdentityReplicationPolicy):
// every replicated record carries a header listing the clusters it has been written to. A record
// is never written to a cluster already on its list.

export const PROVENANCE_HEADER = 'godwit.mm2.provenance'

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined

export function readProvenance(headers: Record<string, HeaderValue> | undefined): string[] {
  const raw = headers?.[PROVENANCE_HEADER]
  if (raw === undefined) return []
  const one = Array.isArray(raw) ? raw[raw.length - 1] : raw
  const text = Buffer.isBuffer(one) ? one.toString('utf8') : String(one)
  return text === '' ? [] : text.split(',')
}

/** The header value after writing to `targetAlias` a record read from `sourceAlias`. */
export function extendProvenance(existing: string[], sourceAlias: string, targetAlias: string): string {
  const list = [...existing]
  if (!list.includes(sourceAlias)) list.push(sourceAlias)
  if (!list.includes(targetAlias)) list.push(targetAlias)
  return list.join(',')
}

/** True when the record has already been on the target cluster: replicating it would loop. */
export function wouldLoop(existing: string[], targetAlias: string): boolean {
  return existing.includes(targetAlias)
}
