// Time as a dependency: the coordinator asks a Clock for "now" and for timers, so tests drive
// session timeouts, rebalance timeouts and retention with a ManualClock instead of sleeping.

export interface Timer {
  cancel(): void
}

export interface Clock {
  now(): number
  /** Runs `fn` once after `delayMs` unless cancelled first. */
  setTimer(delayMs: number, fn: () => void): Timer
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs))
    t.unref()
    return { cancel: () => clearTimeout(t) }
  },
}

interface Pending {
  due: number
  seq: number
  fn: () => void
  cancelled: boolean
}

/** A clock that moves only when told to; due timers fire in deadline order inside advance(). */
export class ManualClock implements Clock {
  private time: number
  private seq = 0
  private pending: Pending[] = []

  constructor(start = 1_700_000_000_000) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const p: Pending = { due: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false }
    this.pending.push(p)
    return { cancel: () => { p.cancelled = true } }
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones set by callbacks). */
  advance(ms: number): void {
    const target = this.time + ms
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled)
      const next = this.pending.reduce<Pending | undefined>(
        (a, p) => (p.due <= target && (a === undefined || p.due < a.due || (p.due === a.due && p.seq < a.seq)) ? p : a), undefined)
      if (next === undefined) break
      this.time = Math.max(this.time, next.due)
      next.cancelled = true
      next.fn()
    }
    this.time = target
  }

  /** Timers still waiting (for tests that check nothing leaks after close). */
  get pendingTimers(): number {
    return this.pending.filter((p) => !p.cancelled).length
  }
}
