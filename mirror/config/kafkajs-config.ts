// mm2.properties client settings → kafkajs: the mapping lives in connectors/kafka/kafkajs-config.ts
// (the Connect worker uses it too); here its errors become MirrorConfigError, as MM2 users know them.
import type { KafkaConfig } from 'kafkajs'
import { KafkaClientConfigError } from '../../connectors/errors'
import { kafkajsConfig as clientConfig } from '../../connectors/kafka/kafkajs-config'
import { MirrorConfigError } from '../errors'

export function kafkajsConfig(props: Record<string, string>, clientId: string): KafkaConfig {
  try {
    return clientConfig(props, clientId)
  } catch (err) {
    if (err instanceof KafkaClientConfigError) throw new MirrorConfigError(err.message, { cause: err })
    throw err
  }
}

/** Client overrides from `consumer.*` / `producer.*` settings that kafkajs understands. */
export function consumerOptions(props: Record<string, string>): { maxBytes?: number; maxBytesPerPartition?: number; maxWaitTimeInMs?: number; sessionTimeout?: number } {
  const n = (k: string): number | undefined => (props[k] === undefined ? undefined : Number(props[k]))
  return {
    maxBytes: n('consumer.fetch.max.bytes'),
    maxBytesPerPartition: n('consumer.max.partition.fetch.bytes'),
    maxWaitTimeInMs: n('consumer.fetch.max.wait.ms'),
    sessionTimeout: n('consumer.session.timeout.ms'),
  }
}
