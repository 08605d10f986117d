// "Did you mean" for unknown config keys: the closest known name by edit distance, if close.

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]
}

export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDist = Infinity
  for (const k of known) {
    const d = editDistance(name, k)
    if (d < bestDist) { best = k; bestDist = d }
  }
  // Accept up to a third of the name's length in edits: typos, not unrelated names.
  return best !== undefined && bestDist <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}
