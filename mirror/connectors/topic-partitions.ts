// MM2 hands each source task its partitions as `task.assigned.partitions` = "topic-0,topic-1".

export interface TopicPartition { topic: string; partition: number }

export function encodePartitions(tps: TopicPartition[]): string {
  return tps.map((tp) => `${tp.topic}-${tp.partition}`).join(',')
}

export function decodePartitions(text: string | undefined): TopicPartition[] {
  if (text === undefined || text.trim() === '') return []
  return text.split(',').map((s) => {
    const i = s.lastIndexOf('-')
    return { topic: s.slice(0, i), partition: Number(s.slice(i + 1)) }
  })
}

/** Round-robin over tasks, in a stable order, so each task gets a fair share. */
export function spreadPartitions(tps: TopicPartition[], maxTasks: number): TopicPartition[][] {
  const sorted = [...tps].sort((a, b) => a.partition - b.partition || a.topic.localeCompare(b.topic))
  const n = Math.max(1, Math.min(maxTasks, sorted.length))
  const out: TopicPartition[][] = Array.from({ length: n }, () => [])
  sorted.forEach((tp, i) => out[i % n].push(tp))
  return out
}
