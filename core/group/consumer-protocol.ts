// Reads the topic list out of a "consumer" protocol member's subscription metadata
// (ConsumerProtocolSubscription v0-v3: version int16, topics [string], user data, ...), which
// is how the coordinator knows which topics a group consumes (OffsetDelete, retention).
import { ByteReader } from './byte-io'

export const CONSUMER_PROTOCOL_TYPE = 'consumer'

/** The subscribed topics, or undefined when the bytes are not a readable subscription. */
export function subscriptionTopics(metadata: Buffer): string[] | undefined {
  try {
    const r = new ByteReader(metadata)
    const version = r.int16()
    if (version < 0) return undefined
    const count = r.int32()
    if (count < 0 || count > metadata.length) return undefined
    const topics: string[] = []
    for (let i = 0; i < count; i++) topics.push(r.string())
    return topics
  } catch {
    return undefined
  }
}
