// A per-second rate over a sliding window, per label set: MM2's record-rate and byte-rate are
// windowed rates (Kafka's metrics library samples 30 s windows), which a Prometheus counter
// cannot answer by itself without a rate() query. Amounts land in one-second buckets; the rate
// is their sum over the last `windowSeconds` full and current seconds.
export class WindowedRate {
  /** label key -> bucket second -> amount; buckets older than the window are dropped. */
  private readonly buckets = new Map<string, { labels: Record<string, string>; seconds: Map<number, number> }>()

  constructor(private readonly windowSeconds = 30, private readonly now: () => number = Date.now) {}

  add(labels: Record<string, string>, amount: number): void {
    const key = labelKey(labels)
    let entry = this.buckets.get(key)
    if (entry === undefined) this.buckets.set(key, (entry = { labels: { ...labels }, seconds: new Map() }))
    const second = Math.floor(this.now() / 1000)
    entry.seconds.set(second, (entry.seconds.get(second) ?? 0) + amount)
    if (entry.seconds.size > this.windowSeconds + 1) this.prune(entry.seconds, second)
  }

  /** Amount per second over the window, per label set (a label set goes quiet to 0, then away). */
  rates(): Array<{ labels: Record<string, string>; perSecond: number }> {
    const second = Math.floor(this.now() / 1000)
    const out: Array<{ labels: Record<string, string>; perSecond: number }> = []
    for (const [key, entry] of this.buckets) {
      this.prune(entry.seconds, second)
      let sum = 0
      for (const v of entry.seconds.values()) sum += v
      out.push({ labels: entry.labels, perSecond: sum / this.windowSeconds })
      if (entry.seconds.size === 0) this.buckets.delete(key)
    }
    return out
  }

  private prune(seconds: Map<number, number>, current: number): void {
    for (const s of seconds.keys()) if (s <= current - this.windowSeconds) seconds.delete(s)
  }
}

function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join('\u0000')
}
