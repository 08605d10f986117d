// Topic creation shared by CreateTopics and Metadata auto-creation: defaults for -1, the checks
// Kafka makes (name, partition count, replication factor against the live nodes, configs), and
// a validate-only path that creates nothing.
import { ErrorCode } from '../protocol/error-codes'
import { parseTopicConfig } from '../log/topic-config'
import type { Cluster } from './request-context'
import { wireCode, wireMessage } from './error-mapping'

export interface CreateTopicInput {
  name: string
  numPartitions: number
  replicationFactor: number
  configs: Record<string, string>
}

export interface CreateTopicOutcome {
  errorCode: number
  errorMessage: string | null
  numPartitions: number
  replicationFactor: number
}

const LEGAL = /^[a-zA-Z0-9._-]+$/

export function topicNameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return `Topic name "${name}" is illegal: it cannot be empty, "." or ".."`
  if (name.length > 249) return `Topic name is illegal: it is ${name.length} characters long, the limit is 249`
  if (!LEGAL.test(name)) return `Topic name "${name}" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`
  return undefined
}

export async function createTopic(cluster: Cluster, input: CreateTopicInput, validateOnly: boolean): Promise<CreateTopicOutcome> {
  const numPartitions = input.numPartitions === -1 ? cluster.config['num.partitions'] : input.numPartitions
  const replicationFactor = input.replicationFactor === -1 ? cluster.config['default.replication.factor'] : input.replicationFactor
  const fail = (errorCode: number, errorMessage: string): CreateTopicOutcome => ({ errorCode, errorMessage, numPartitions, replicationFactor })
  const badName = topicNameProblem(input.name)
  if (badName !== undefined) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, badName)
  if (cluster.logs.topic(input.name) !== undefined) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${input.name}' already exists.`)
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be larger than 0, got ${numPartitions}.`)
  if (replicationFactor <= 0) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor must be larger than 0, got ${replicationFactor}.`)
  if (replicationFactor > cluster.nodes.length) {
    return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${replicationFactor} larger than available brokers: ${cluster.nodes.length}.`)
  }
  try {
    parseTopicConfig({}, input.configs)
  } catch (err) {
    return fail(ErrorCode.INVALID_CONFIG, wireMessage(err))
  }
  if (validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null, numPartitions, replicationFactor }
  try {
    await cluster.logs.createTopic(input.name, numPartitions, input.configs)
  } catch (err) {
    return fail(wireCode(err), wireMessage(err))
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null, numPartitions, replicationFactor }
}
