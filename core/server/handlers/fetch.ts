// Fetch: read whole batches from each partition; when there are fewer than minBytes, wait
// (up to maxWaitMs) for an 'append' on any partition asked for, then read again. The first
// partition with data always returns at least one whole batch, even past maxBytes, so a client
// can never be stuck behind a batch bigger than its limits.
import type { FetchRequest, FetchResponse } from '../../protocol/messages/fetch'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode } from '../error-mapping'
import { partitionFor, type Access } from './partition-access'

// Partitions without data carry an empty record set, never null: librdkafka cannot parse a null
// (size -1) record set and would loop without seeing the partition's error.
const NO_RECORDS = Buffer.alloc(0)

type PartitionData = FetchResponse['responses'][number]['partitions'][number]
type Log = NonNullable<Access['log']>

interface Slot { topic: string; partition: number; fetchOffset: number; maxBytes: number; access: Access }

export async function handleFetch(req: FetchRequest, ctx: RequestContext): Promise<FetchResponse> {
  const slots: Slot[] = req.topics.flatMap((t) => t.partitions.map((p) => ({
    topic: t.topic, partition: p.partition, fetchOffset: p.fetchOffset, maxBytes: p.partitionMaxBytes,
    access: partitionFor(ctx, t.topic, p.partition),
  })))
  const deadline = Date.now() + Math.max(0, req.maxWaitMs)
  let result = await readAll(slots, req.maxBytes, ctx)
  while (result.bytes < req.minBytes && !result.hasError && Date.now() < deadline) {
    const logs = slots.map((s) => s.access.log).filter((l): l is Log => l !== undefined)
    if (logs.length === 0) break
    if (ctx.cluster.stopping.aborted) break
    await waitForAppend(logs, deadline - Date.now(), ctx.cluster.stopping)
    result = await readAll(slots, req.maxBytes, ctx)
  }
  const responses: FetchResponse['responses'] = []
  slots.forEach((s, i) => {
    let topic = responses[responses.length - 1]
    if (topic === undefined || topic.topic !== s.topic) responses.push(topic = { topic: s.topic, partitions: [] })
    topic.partitions.push(result.partitions[i])
  })
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }
}

async function readAll(slots: Slot[], maxBytes: number, ctx: RequestContext): Promise<{ partitions: PartitionData[]; bytes: number; hasError: boolean }> {
  let budget = maxBytes
  let bytes = 0
  let hasError = false
  const partitions: PartitionData[] = []
  for (const s of slots) {
    const data = await readOne(s, budget, bytes === 0, ctx)
    const n = data.records?.length ?? 0
    bytes += n
    budget -= n
    if (data.errorCode !== ErrorCode.NONE) hasError = true
    partitions.push(data)
  }
  return { partitions, bytes, hasError }
}

async function readOne(s: Slot, budget: number, firstWithData: boolean, ctx: RequestContext): Promise<PartitionData> {
  const base: PartitionData = {
    partitionIndex: s.partition, errorCode: ErrorCode.NONE, highWatermark: -1, lastStableOffset: -1,
    logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: Buffer.alloc(0),
  }
  const log = s.access.log
  if (log === undefined) return { ...base, errorCode: s.access.errorCode, records: NO_RECORDS }
  const hw = log.highWatermark
  const filled = { ...base, highWatermark: hw, lastStableOffset: hw, logStartOffset: log.logStartOffset }
  // As in Kafka, out of range means outside [logStartOffset, logEndOffset]; between the high
  // watermark and the log end (appended, fsync in progress) there is just nothing to serve yet.
  if (s.fetchOffset < log.logStartOffset || s.fetchOffset > log.logEndOffset) return { ...filled, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: NO_RECORDS }
  if (s.fetchOffset >= hw) return filled
  const limit = Math.min(s.maxBytes, Math.max(0, budget))
  if (limit <= 0 && !firstWithData) return filled
  try {
    const { records } = await log.read(s.fetchOffset, limit, { minOneBatch: firstWithData })
    return { ...filled, records }
  } catch (err) {
    const code = wireCode(err)
    if (code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.log.error({ err, topic: s.topic, partition: s.partition }, 'fetch failed')
    return { ...filled, errorCode: code, records: NO_RECORDS }
  }
}

/** Resolves on the first 'append' of any of the logs, when the time is up, or when the broker stops. */
function waitForAppend(logs: Log[], ms: number, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      for (const l of logs) l.off('append', done)
      stopping.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, Math.max(0, ms))
    for (const l of logs) l.on('append', done)
    stopping.addEventListener('abort', done)
  })
}
