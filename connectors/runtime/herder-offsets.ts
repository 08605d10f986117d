// GET/PATCH/DELETE /connectors/{name}/offsets: source offsets live in the offset store; sink
// offsets are the consumer group connect-<name>'s committed offsets, shown as Connect shows them
// ({kafka_topic, kafka_partition} -> {kafka_offset}).
import type { ConnectorProps, SourceOffset, SourcePartition } from '../api'
import { ConnectorConfigError } from '../errors'
import type { ConnectorInfo, ConnectorOffsets } from './herder'
import type { Worker } from './worker'
import { sinkGroupId } from './worker-sink-task'

export async function readOffsets(worker: Worker, name: string, config: ConnectorProps, type: ConnectorInfo['type']): Promise<ConnectorOffsets> {
  if (type !== 'sink') {
    const list = await worker.offsetStore.list(name)
    return { offsets: list.map((e) => ({ partition: e.partition, offset: e.offset })) }
  }
  const admin = worker.clients.admin.admin()
  await admin.connect()
  try {
    const groups = await admin.fetchOffsets({ groupId: sinkGroupId(name) })
    const offsets: ConnectorOffsets['offsets'] = []
    for (const t of groups) {
      for (const p of t.partitions) {
        if (Number(p.offset) < 0) continue
        offsets.push({ partition: { kafka_topic: t.topic, kafka_partition: p.partition }, offset: { kafka_offset: Number(p.offset) } })
      }
    }
    return { offsets }
  } finally {
    await admin.disconnect()
  }
}

export async function alterOffsets(worker: Worker, name: string, config: ConnectorProps, body: ConnectorOffsets): Promise<void> {
  if (!Array.isArray(body?.offsets)) throw new ConnectorConfigError('The request body must be {"offsets": [{"partition": {...}, "offset": {...} | null}, ...]}')
  const { connector } = worker.plugins.create(config['connector.class'])
  if (connector.type === 'source') {
    const entries = body.offsets.map((o) => ({ partition: o.partition as SourcePartition, offset: o.offset as SourceOffset | null }))
    await connector.alterOffsets(config, entries)
    await worker.offsetStore.set(name, entries)
    return
  }
  const entries = body.offsets.map((o) => {
    const topic = o.partition?.kafka_topic
    const partition = o.partition?.kafka_partition
    const offset = o.offset === null ? null : o.offset?.kafka_offset
    if (typeof topic !== 'string' || typeof partition !== 'number' || !Number.isInteger(partition)) {
      throw new ConnectorConfigError(`Sink connector offsets need partition {"kafka_topic": string, "kafka_partition": integer}, got ${JSON.stringify(o.partition)}`)
    }
    if (offset !== null && (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)) {
      throw new ConnectorConfigError(`Sink connector offsets need offset {"kafka_offset": non-negative integer} or null, got ${JSON.stringify(o.offset)}`)
    }
    return { topic, partition, offset }
  })
  await connector.alterOffsets(config, entries)
  const admin = worker.clients.admin.admin()
  await admin.connect()
  const toCommit: Array<{ topic: string; partition: number; offset: string }> = []
  try {
    const nulls = entries.filter((e) => e.offset === null)
    // kafkajs has no OffsetDelete: a null offset moves the partition back to its earliest offset,
    // which is where a sink starts without a committed offset.
    for (const topic of new Set(nulls.map((e) => e.topic))) {
      const ends = await admin.fetchTopicOffsets(topic)
      for (const e of nulls.filter((x) => x.topic === topic)) toCommit.push({ topic, partition: e.partition, offset: ends.find((x) => x.partition === e.partition)?.low ?? '0' })
    }
  } finally {
    await admin.disconnect()
  }
  for (const e of entries) if (e.offset !== null) toCommit.push({ topic: e.topic, partition: e.partition, offset: String(e.offset) })
  await commitGroupOffsets(worker, sinkGroupId(name), toCommit)
}

/**
 * Commits offsets for an empty group by joining it briefly with a paused consumer. (kafkajs's
 * admin.setOffsets does the same but waits out a full 5 s fetch before it returns.)
 */
async function commitGroupOffsets(worker: Worker, groupId: string, offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
  if (offsets.length === 0) return
  const topics = [...new Set(offsets.map((o) => o.topic))]
  const consumer = worker.clients.consumer.consumer({ groupId, maxWaitTimeInMs: 50 })
  await consumer.connect()
  try {
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()))
    await consumer.subscribe({ topics, fromBeginning: true })
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => {} })
    consumer.pause(topics.map((topic) => ({ topic })))
    await joined
    await consumer.commitOffsets(offsets)
  } finally {
    await consumer.disconnect()
  }
}

export async function resetOffsets(worker: Worker, name: string, config: ConnectorProps): Promise<void> {
  const { connector } = worker.plugins.create(config['connector.class'])
  if (connector.type === 'source') {
    const list = await worker.offsetStore.list(name)
    await connector.alterOffsets(config, list.map((e) => ({ partition: e.partition, offset: null })))
    await worker.offsetStore.set(name, list.map((e) => ({ partition: e.partition, offset: null })))
    return
  }
  const admin = worker.clients.admin.admin()
  await admin.connect()
  try {
    await admin.deleteGroups([sinkGroupId(name)]).catch((e: { groups?: Array<{ errorCode?: number }> }) => {
      // GROUP_ID_NOT_FOUND (69): nothing was committed, so nothing to reset.
      if (!(e.groups ?? []).every((g) => g.errorCode === 69 || g.errorCode === 0)) throw e
    })
  } finally {
    await admin.disconnect()
  }
}
