// Kafka error types out of kafkajs errors, which wrap them (retries, aggregates, causes), and a
// consumer run until it crashes, for tests that expect the broker to refuse something.
import type { Consumer, Kafka } from 'kafkajs'
import { waitFor } from './wait-for'

type KafkaError = Error & { type?: string; cause?: KafkaError; originalError?: KafkaError; errors?: KafkaError[] }

/** The Kafka error type (e.g. TOPIC_AUTHORIZATION_FAILED) anywhere in a kafkajs error chain. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (let e = err as KafkaError | undefined, i = 0; e !== undefined && e !== null && i < 5; i++, e = e.originalError ?? e.cause ?? e.errors?.[0]) {
    if (e.type !== undefined) return e.type
  }
  return undefined
}

/** Runs a consumer of `topic` in `groupId` until it crashes; resolves with the crash's Kafka error type. */
export async function consumerCrashType(kafka: Kafka, groupId: string, topic: string, timeoutMs = 15000): Promise<string | undefined> {
  const consumer: Consumer = kafka.consumer({ groupId, retry: { retries: 0 }, maxWaitTimeInMs: 100 })
  let crash: unknown
  consumer.on(consumer.events.CRASH, (e) => { crash = e.payload.error })
  try {
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage: async () => undefined }).catch((err: unknown) => { crash = err })
    await waitFor(`the consumer of ${topic} to crash`, () => crash !== undefined, { timeoutMs })
  } finally {
    await consumer.disconnect()
  }
  return kafkaErrorType(crash) ?? String(crash)
}
