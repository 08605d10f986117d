import { strict as assert } from 'node:assert'
import { assign, movedCount, parseItem, connectorItem, taskItem, type Assignment } from '../../../connectors/distributed/assignment'

// A tiny seeded PRNG so property failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const items = (n: number): string[] => Array.from({ length: n }, (_, i) => `task/c/${i}`)
const workers = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `w${from + i}`)

function checkValid(a: Assignment, ws: string[], its: string[]): void {
  assert.deepEqual(Object.keys(a).sort(), [...ws].sort(), 'every live worker, and only live workers, appear')
  const all = Object.values(a).flat()
  assert.equal(all.length, its.length, 'each item assigned exactly once')
  assert.deepEqual([...all].sort(), [...its].sort())
  const loads = Object.values(a).map((l) => l.length)
  assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, `balanced within 1: ${loads.join(',')}`)
}

/** The fewest moves any balanced assignment needs from `prev`, by brute force over which workers get the +1. */
function minimalMoves(prev: Assignment, ws: string[], its: string[]): number {
  const wanted = new Set(its)
  const seen = new Set<string>()
  const kept = ws.map((w) => (prev[w] ?? []).filter((i) => wanted.has(i) && !seen.has(i) && (seen.add(i), true)).length)
  const base = Math.floor(its.length / ws.length)
  const extra = its.length % ws.length
  let best = Infinity
  for (let mask = 0; mask < 1 << ws.length; mask++) {
    let bits = 0
    for (let b = 0; b < ws.length; b++) if (mask & (1 << b)) bits++
    if (bits !== extra) continue
    let moves = 0
    for (let b = 0; b < ws.length; b++) moves += Math.max(0, kept[b]! - (base + (mask & (1 << b) ? 1 : 0)))
    best = Math.min(best, moves)
  }
  return best
}

/** Moves among items that existed before and were held by a worker that is still live. */
function movesOfSurvivors(prev: Assignment, next: Assignment, ws: string[]): number {
  const live = new Set(ws)
  const restricted: Assignment = {}
  for (const [w, l] of Object.entries(prev)) if (live.has(w)) restricted[w] = l
  return movedCount(restricted, next)
}

/** Items whose spread is checked together: one connector's tasks; all connector instances. */
function spreadGroup(item: string): string {
  const p = parseItem(item)
  return p.kind === 'connector' ? 'connectors' : `tasks of ${p.connector}`
}

describe('connectors/distributed/assignment', () => {
  it('spreads items evenly over workers from nothing', () => {
    const a = assign({}, workers(3), items(10))
    checkValid(a, workers(3), items(10))
    assert.deepEqual(Object.values(a).map((l) => l.length).sort(), [3, 3, 4])
  })

  it('gives nothing to nobody and everything to a single worker', () => {
    assert.deepEqual(assign({ w0: ['x'] }, [], ['x']), {})
    assert.deepEqual(assign({}, ['w0'], ['b', 'a']), { w0: ['a', 'b'] })
  })

  it('moves only the leaver\'s items when a worker leaves', () => {
    const before = assign({}, workers(3), items(9))
    const after = assign(before, ['w0', 'w1'], items(9))
    checkValid(after, ['w0', 'w1'], items(9))
    for (const w of ['w0', 'w1']) for (const i of before[w]!) assert.ok(after[w]!.includes(i), `${i} stayed on ${w}`)
  })

  it('moves only a fair share to a joiner', () => {
    const before = assign({}, workers(2), items(8))
    const after = assign(before, workers(3), items(8))
    checkValid(after, workers(3), items(8))
    assert.equal(movedCount(before, after), 2, 'the joiner takes 2 (8/3 rounds to 2 or 3), nothing else moves')
    assert.equal(after['w2']!.length, 2)
  })

  it('is deterministic and stable: the same inputs give the same output, and a balanced input is kept as is', () => {
    const a = assign({}, workers(4), items(11))
    assert.deepEqual(assign({}, workers(4), items(11)), a)
    assert.deepEqual(assign(a, workers(4), items(11)), a)
  })

  it('drops deleted items, adds new ones, ignores duplicated and unknown workers in the previous assignment', () => {
    const prev: Assignment = { w0: ['a', 'b', 'gone'], w1: ['b', 'c'], dead: ['d'] }
    const next = assign(prev, ['w0', 'w1'], ['a', 'b', 'c', 'd', 'e'])
    checkValid(next, ['w0', 'w1'], ['a', 'b', 'c', 'd', 'e'])
    assert.ok(next['w0']!.includes('a') && next['w0']!.includes('b'))
    assert.ok(next['w1']!.includes('c'))
  })

  it('property: every result is valid and moves the minimum possible (2000 random scenarios)', () => {
    const rand = rng(42)
    for (let round = 0; round < 2000; round++) {
      const nItems = Math.floor(rand() * 30)
      const nWorkers = 1 + Math.floor(rand() * 7)
      const its = items(nItems)
      const pool = workers(9)
      // A random, possibly unbalanced, possibly stale previous assignment.
      const prev: Assignment = {}
      for (const i of [...its, 'task/c/999']) {
        if (rand() < 0.15) continue
        const w = pool[Math.floor(rand() * pool.length)]!
        ;(prev[w] ??= []).push(i)
      }
      const ws = pool.filter(() => rand() < nWorkers / 9)
      if (ws.length === 0) ws.push('w0')
      const next = assign(prev, ws, its)
      checkValid(next, ws, its)
      assert.equal(movesOfSurvivors(prev, next, ws), minimalMoves(prev, ws, its), `round ${round}: not minimal`)
    }
  })

  it('property: a sequence of joins and leaves keeps balance and each step moves at most what it must', () => {
    const rand = rng(7)
    let ws = workers(3)
    let next = 10
    let a = assign({}, ws, items(25))
    for (let step = 0; step < 300; step++) {
      const joining = ws.length < 2 || rand() < 0.5
      const prevWs = ws
      if (joining) ws = [...ws, `w${next++}`]
      else {
        const victim = ws[Math.floor(rand() * ws.length)]
        ws = ws.filter((w) => w !== victim)
      }
      const b = assign(a, ws, items(25))
      checkValid(b, ws, items(25))
      // A join moves at most ceil(n/w) items (the joiner's share); a leave moves exactly the leaver's items.
      const moved = movedCount(a, b)
      if (joining) assert.ok(moved <= Math.ceil(25 / ws.length), `join moved ${moved}`)
      else {
        const left = prevWs.find((w) => !ws.includes(w))!
        assert.equal(movesOfSurvivors(a, b, ws), 0, `leave of ${left} moved survivors' items`)
        assert.equal(moved, a[left]!.length, 'exactly the leaver\'s items moved')
      }
      a = b
    }
  })

  it('property: from nothing, each connector\'s tasks are spread as evenly as balance allows (1000 random scenarios)', () => {
    const rand = rng(99)
    for (let round = 0; round < 1000; round++) {
      const its: string[] = []
      const nConnectors = 1 + Math.floor(rand() * 5)
      for (let c = 0; c < nConnectors; c++) {
        const name = `conn-${c}`
        if (rand() < 0.5) its.push(connectorItem(name))
        const tasks = 1 + Math.floor(rand() * 8)
        for (let t = 0; t < tasks; t++) its.push(taskItem(name, t))
      }
      const ws = workers(1 + Math.floor(rand() * 6))
      const a = assign({}, ws, its)
      checkValid(a, ws, its)
      for (const group of new Set(its.map(spreadGroup))) {
        const per = ws.map((w) => a[w]!.filter((i) => spreadGroup(i) === group).length)
        assert.ok(Math.max(...per) - Math.min(...per) <= 1, `round ${round}: ${group} spread ${per.join(',')} over ${ws.length} workers`)
      }
    }
  })

  it('spreads MM2\'s heartbeat (1), source (3) and checkpoint (1) tasks when 3 workers join one by one', () => {
    const mm2 = [taskItem('A->B.MirrorHeartbeatConnector', 0), ...[0, 1, 2].map((t) => taskItem('A->B.MirrorSourceConnector', t)), taskItem('A->B.MirrorCheckpointConnector', 0)]
    const sources = (a: Assignment, w: string): number => a[w]!.filter((i) => i.includes('MirrorSourceConnector')).length
    let a = assign({}, ['w0'], mm2)
    a = assign(a, ['w0', 'w1'], mm2)
    checkValid(a, ['w0', 'w1'], mm2)
    assert.deepEqual(['w0', 'w1'].map((w) => sources(a, w)).sort(), [1, 2], 'two workers: the source tasks split 2/1')
    const before = a
    a = assign(a, ['w0', 'w1', 'w2'], mm2)
    checkValid(a, ['w0', 'w1', 'w2'], mm2)
    assert.equal(movedCount(before, a), 1, 'the joiner takes one item, nothing else moves')
    assert.deepEqual(['w0', 'w1', 'w2'].map((w) => sources(a, w)), [1, 1, 1], `one source task per worker: ${JSON.stringify(a)}`)
    // And from nothing on 3 workers at once.
    const fresh = assign({}, ['w0', 'w1', 'w2'], mm2)
    assert.deepEqual(['w0', 'w1', 'w2'].map((w) => sources(fresh, w)), [1, 1, 1], `one source task per worker: ${JSON.stringify(fresh)}`)
  })

  it('spreads MM2\'s source tasks when they appear after the other connectors\' items on 3 live workers', () => {
    const ws = ['w0', 'w1', 'w2']
    const names = ['A->B.MirrorSourceConnector', 'A->B.MirrorCheckpointConnector', 'A->B.MirrorHeartbeatConnector']
    let its = names.map(connectorItem)
    let a = assign({}, ws, its)
    // As in `godwit mirror --distributed`: heartbeat and checkpoint tasks first, then the source tasks.
    for (const more of [[taskItem(names[2]!, 0)], [taskItem(names[1]!, 0)], [0, 1, 2].map((t) => taskItem(names[0]!, t))]) {
      const before = a
      its = [...its, ...more]
      a = assign(a, ws, its)
      checkValid(a, ws, its)
      assert.equal(movedCount(before, a), 0, 'new tasks start where there is room; nothing running moves')
    }
    assert.deepEqual(ws.map((w) => a[w]!.filter((i) => i.startsWith('task/A->B.MirrorSourceConnector/')).length), [1, 1, 1], JSON.stringify(a))
  })

  it('names work items so that connector names containing "/" stay parseable', () => {
    assert.deepEqual(parseItem(connectorItem('a/b')), { kind: 'connector', connector: 'a/b' })
    assert.deepEqual(parseItem(taskItem('a/b', 12)), { kind: 'task', connector: 'a/b', task: 12 })
    assert.throws(() => parseItem('bogus'), /not a work item id/)
  })
})
