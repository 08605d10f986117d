// Balanced, sticky assignment of work items (connectors and tasks) to workers: a pure function
// of the previous assignment, the live workers and the items that exist. Items stay where they
// are unless their worker left or holds more than its fair share, so a join or leave moves the
// fewest items possible and everything else keeps running (no stop-the-world rebalance).

/** worker id → the items it runs, sorted. */
export type Assignment = Record<string, string[]>

/**
 * Each worker ends with floor(n/w) or ceil(n/w) items (balanced within 1). The workers allowed
 * the larger share are those already holding the most, which makes the number of moved items
 * the minimum any balanced assignment could reach from `previous`.
 */
export function assign(previous: Assignment, workers: readonly string[], items: readonly string[]): Assignment {
  const live = [...new Set(workers)].sort()
  const out: Assignment = {}
  if (live.length === 0) return out
  const wanted = new Set(items)
  const kept = new Map<string, string[]>(live.map((w) => [w, []]))
  const taken = new Set<string>()
  for (const w of live) {
    for (const item of [...(previous[w] ?? [])].sort()) {
      if (!wanted.has(item) || taken.has(item)) continue // deleted, or listed twice
      taken.add(item)
      kept.get(w)!.push(item)
    }
  }
  const base = Math.floor(wanted.size / live.length)
  let extra = wanted.size % live.length
  // Largest holders first get the +1 slots; ties by id keep the result deterministic.
  const byLoad = [...live].sort((a, b) => kept.get(b)!.length - kept.get(a)!.length || (a < b ? -1 : 1))
  const target = new Map<string, number>()
  for (const w of byLoad) {
    const t = base + (extra > 0 && kept.get(w)!.length > base ? 1 : 0)
    if (t > base) extra--
    target.set(w, t)
  }
  // Remaining +1 slots (fewer big holders than slots) go to the lightest-loaded, then by id.
  for (const w of [...live].sort((a, b) => kept.get(a)!.length - kept.get(b)!.length || (a < b ? -1 : 1))) {
    if (extra === 0) break
    if (target.get(w) === base) { target.set(w, base + 1); extra-- }
  }
  const pool = [...wanted].filter((i) => !taken.has(i)).sort()
  for (const w of live) {
    const mine = kept.get(w)!
    while (mine.length > target.get(w)!) pool.push(mine.pop()!)
  }
  pool.sort()
  for (const w of live) {
    const mine = kept.get(w)!
    while (mine.length < target.get(w)!) mine.push(pool.shift()!)
    out[w] = mine.sort()
  }
  return out
}

/** Items present in `b` but not in `a` for one worker: what it must start. */
export function added(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  const before = new Set(a ?? [])
  return (b ?? []).filter((i) => !before.has(i))
}

/** Number of items whose worker changed between two assignments (moves; new/deleted items don't count). */
export function movedCount(a: Assignment, b: Assignment): number {
  const owner = new Map<string, string>()
  for (const [w, items] of Object.entries(a)) for (const i of items) owner.set(i, w)
  let moved = 0
  for (const [w, items] of Object.entries(b)) for (const i of items) if (owner.has(i) && owner.get(i) !== w) moved++
  return moved
}

/** Work item ids: `connector/<name>` and `task/<name>/<n>` (names may contain '/', ids stay unique). */
export const connectorItem = (name: string): string => `connector/${name}`
export const taskItem = (name: string, task: number): string => `task/${name}/${task}`

export type WorkItem = { kind: 'connector'; connector: string } | { kind: 'task'; connector: string; task: number }

export function parseItem(id: string): WorkItem {
  if (id.startsWith('connector/')) return { kind: 'connector', connector: id.slice('connector/'.length) }
  const m = /^task\/(.*)\/(\d+)$/.exec(id)
  if (m === null) throw new Error(`not a work item id: ${id}`)
  return { kind: 'task', connector: m[1]!, task: Number(m[2]) }
}
