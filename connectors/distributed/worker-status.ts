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
  constructor(private readonly max = 50) {}

  add(kind: string, message: string): void {
    this.list.push({ at: new Date().toISOString(), kind, message })
    if (this.list.length > this.max) this.list.shift()
  }

  recent(): WorkerEvent[] {
    return [...this.list]
  }

  has(kind: string): boolean {
    return this.list.some((e) => e.kind === kind)
  }
}
