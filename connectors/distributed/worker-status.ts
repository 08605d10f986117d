// What a distributed worker reports about itself: connection, leadership, assignment and the
// recent events that explain it ("Redis unreachable; tasks kept running", "fenced", ...).

export interface WorkerEvent {
  at: string
  kind: string
  message: string
}

export interface WorkerStatus {
  workerId: string
  /** 'connected' or 'unreachable since <time>'. */
  redis: string
  leader: string | undefined
  leaderEpoch: number | undefined
  isLeader: boolean
  generation: number | undefined
  members: string[]
  assigned: string[]
  running: string[]
  /** Assigned items whose lease another worker still holds: item → holder. */
  waiting: Record<string, string>
  events: WorkerEvent[]
}

export class WorkerEvents {
  private readonly list: WorkerEvent[] = []
  private readonly listeners: Array<(e: WorkerEvent) => void> = []
  constructor(private readonly max = 50) {}

  add(kind: string, message: string): void {
    const e = { at: new Date().toISOString(), kind, message }
    this.list.push(e)
    if (this.list.length > this.max) this.list.shift()
    for (const l of this.listeners) l(e)
  }

  /** Calls `fn` for every future event (logging them, streaming them to a test). */
  listen(fn: (e: WorkerEvent) => void): void {
    this.listeners.push(fn)
  }

  recent(): WorkerEvent[] {
    return [...this.list]
  }

  has(kind: string): boolean {
    return this.list.some((e) => e.kind === kind)
  }
}
