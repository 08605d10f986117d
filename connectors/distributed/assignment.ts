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
  // Which items move is fixed by the targets of the workers holding more than `base`; which of a
  // worker's items leave, where moving or new items land, and which of the other workers get the
  // remaining +1 slots cost no moves either way, so they are chosen to spread each connector's
  // tasks (MM2's three source tasks must not end up on one worker while another runs none).
  const groupTotal = new Map<string, number>()
  for (const i of wanted) groupTotal.set(groupOf(i), (groupTotal.get(groupOf(i)) ?? 0) + 1)
  const pool = [...wanted].filter((i) => !taken.has(i))
  for (const w of live) {
    const mine = kept.get(w)!
    const given = new Map<string, number>()
    while (mine.length > target.get(w)!) {
      const item = mine.splice(mostOverRepresented(mine, given, groupTotal, live.length), 1)[0]!
      given.set(groupOf(item), (given.get(groupOf(item)) ?? 0) + 1)
      pool.push(item)
    }
  }
  // Bigger groups first, each group's items together and in order: like dealing cards, which
  // spreads every group within 1 when starting from nothing.
  const poolGroups = countGroups(pool)
  pool.sort((a, b) => {
    const ga = groupOf(a), gb = groupOf(b)
    return poolGroups.get(gb)! - poolGroups.get(ga)! || (ga < gb ? -1 : ga > gb ? 1 : 0) || (a < b ? -1 : 1)
  })
  // Remaining +1 slots: by default the lightest-loaded, then by id; every other choice of the
  // same number of those workers is tried too (when few) and the best spread wins.
  const open = [...live].filter((w) => target.get(w) === base)
    .sort((a, b) => kept.get(a)!.length - kept.get(b)!.length || (a < b ? -1 : 1))
  let best: Map<string, string[]> | undefined
  let bestScore = Infinity
  for (const plus of choices(open, extra, MAX_SLOT_CHOICES)) {
    const t = new Map(target)
    for (const w of plus) t.set(w, base + 1)
    const placed = place(pool, live, kept, t)
    const score = spreadScore(placed)
    if (score < bestScore) { best = placed; bestScore = score }
  }
  for (const w of live) out[w] = best!.get(w)!.sort()
  return out
}

/** How many +1 slot choices are tried at most; beyond that only the default one. */
const MAX_SLOT_CHOICES = 128

/** Subsets of `k` of `from`, the first being its first `k`; only the first when there are more than `limit`. */
function choices(from: readonly string[], k: number, limit: number): string[][] {
  const out: string[][] = []
  const pick = (start: number, acc: string[]): void => {
    if (out.length > limit) return
    if (acc.length === k) { out.push([...acc]); return }
    for (let i = start; i <= from.length - (k - acc.length); i++) { acc.push(from[i]!); pick(i + 1, acc); acc.pop() }
  }
  pick(0, [])
  return out.length > limit ? [from.slice(0, k)] : out
}

/** Places pool items on workers below target: fewest of the item's group, then most open slots, then id. */
function place(pool: readonly string[], live: readonly string[], kept: Map<string, string[]>, target: Map<string, number>): Map<string, string[]> {
  const lists = new Map<string, string[]>(live.map((w) => [w, [...kept.get(w)!]]))
  const counts = new Map<string, Map<string, number>>(live.map((w) => [w, countGroups(lists.get(w)!)]))
  for (const item of pool) {
    const g = groupOf(item)
    let best: string | undefined
    let bestKey: [number, number] = [Infinity, Infinity]
    for (const w of live) {
      const open = target.get(w)! - lists.get(w)!.length
      if (open <= 0) continue
      const key: [number, number] = [counts.get(w)!.get(g) ?? 0, -open]
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) { best = w; bestKey = key }
    }
    lists.get(best!)!.push(item)
    counts.get(best!)!.set(g, (counts.get(best!)!.get(g) ?? 0) + 1)
  }
  return lists
}

/** Sum over workers and groups of count²: smallest when every group is spread most evenly. */
function spreadScore(lists: Map<string, string[]>): number {
  let s = 0
  for (const l of lists.values()) for (const n of countGroups(l).values()) s += n * n
  return s
}

/** The spread group of an item: a connector's tasks together, all connector instances together. */
function groupOf(item: string): string {
  if (item.startsWith('connector/')) return 'connector/'
  const m = /^task\/(.*)\/\d+$/.exec(item)
  return m === null ? item : `task/${m[1]}`
}

function countGroups(list: readonly string[]): Map<string, number> {
  const c = new Map<string, number>()
  for (const i of list) c.set(groupOf(i), (c.get(groupOf(i)) ?? 0) + 1)
  return c
}

/**
 * Index of the item to give up: the one whose group this worker holds most above its fair share;
 * on ties, a group it has given up least so far (what leaves is varied too), then the last id.
 */
function mostOverRepresented(mine: readonly string[], given: Map<string, number>, groupTotal: Map<string, number>, workers: number): number {
  const c = countGroups(mine)
  let best = -1
  let bestScore = -Infinity
  let bestGiven = Infinity
  for (let i = 0; i < mine.length; i++) {
    const g = groupOf(mine[i]!)
    const score = c.get(g)! * workers - groupTotal.get(g)! // (count - fair share) scaled by workers: integers
    const gone = given.get(g) ?? 0
    if (score > bestScore || (score === bestScore && gone <= bestGiven)) { best = i; bestScore = score; bestGiven = gone }
  }
  return best
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
