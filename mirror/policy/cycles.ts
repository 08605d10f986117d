// Cycle detection by name: a remote topic whose chain of sources already contains the target
// cluster would go back where it came from.
import type { ReplicationPolicy } from './replication-policy'

/** The clusters a topic has passed through, nearest first. */
export function sourceChain(policy: ReplicationPolicy, topic: string): string[] {
  const chain: string[] = []
  let current: string | undefined = topic
  for (let i = 0; i < 100 && current !== undefined; i++) {
    const source = policy.topicSource(current)
    if (source === undefined) break
    chain.push(source)
    const up = policy.upstreamTopic(current)
    if (up === undefined || up === current) break
    current = up
  }
  return chain
}

/** True when replicating `topic` to `targetAlias` would send it back to a cluster it came from. */
export function isCycle(policy: ReplicationPolicy, topic: string, targetAlias: string): boolean {
  return sourceChain(policy, topic).includes(targetAlias)
}
