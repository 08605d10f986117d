// Produce: append each partition's batches (stored exactly as sent) and answer once the append is
// durable. acks=0 gets no response at all; the appends still happen, in order. With acks=-1 the
// wait for durability is bounded by timeoutMs (REQUEST_TIMED_OUT for that partition, as Kafka
// answers when its ISR does not catch up in time); the append itself is not undone.
import type { ProduceRequest, ProduceResponse } from '../../protocol/messages/produce'
import { ErrorCode, errorName } from '../../protocol/error-codes'
import { CloseConnection } from '../errors'
import type { RequestContext } from '../request-context'
import { wireCode } from '../error-mapping'
import { partitionFor } from './partition-access'

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number]

export async function handleProduce(req: ProduceRequest, ctx: RequestContext): Promise<ProduceResponse | undefined> {
  const validAcks = req.acks === 0 || req.acks === 1 || req.acks === -1
  const responses = await Promise.all(req.topicData.map(async (t) => ({
    name: t.name,
    partitionResponses: await Promise.all(t.partitionData.map((p) =>
      validAcks ? appendOne(ctx, t.name, p.index, p.records, req.acks, req.timeoutMs) : Promise.resolve(failed(p.index, ErrorCode.INVALID_REQUIRED_ACKS)))),
  })))
  if (req.acks === 0) {
    const failed = responses.flatMap((t) => t.partitionResponses.filter((p) => p.errorCode !== ErrorCode.NONE).map((p) => `${t.name}-${p.index}: ${errorName(p.errorCode)}`))
    if (failed.length > 0) throw new CloseConnection(`acks=0 produce failed (${failed.join(', ')})`)
    return undefined
  }
  return { responses, throttleTimeMs: 0 }
}

function failed(index: number, errorCode: number): PartitionResponse {
  return { index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 }
}

async function appendOne(ctx: RequestContext, topic: string, index: number, records: Buffer | null, acks: number, timeoutMs: number): Promise<PartitionResponse> {
  if (ctx.cluster.isInternalTopic(topic)) return failed(index, ErrorCode.INVALID_TOPIC_EXCEPTION)
  const access = partitionFor(ctx, topic, index)
  if (access.log === undefined) return failed(index, access.errorCode)
  if (records === null || records.length === 0) return failed(index, ErrorCode.CORRUPT_MESSAGE)
  // v0-v2 may carry message sets of magic 0/1 (Kafka converts them); the log stores RecordBatch
  // v2 only, so such data is refused here, and v2 batches sent over v0-v2 are stored as usual.
  if (ctx.apiVersion <= 2 && magicOf(records) !== RECORD_BATCH_MAGIC) return failed(index, ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT)
  // The clock starts before append() (which validates synchronously); a single-replica Kafka
  // partition satisfies acks=-1 at once, so a timeout of 0 or less means no deadline here.
  const deadline = acks === -1 && timeoutMs > 0 ? startDeadline(timeoutMs) : undefined
  try {
    const appending = access.log.append(records, { requireDurable: acks !== 0 })
    const r = deadline === undefined ? await appending : await Promise.race([appending, deadline.expired])
    if (r === TIMED_OUT) {
      appending.then(
        () => undefined,
        (err: unknown) => ctx.log.warn({ err, topic, partition: index }, 'append failed after its produce request timed out'),
      )
      return failed(index, ErrorCode.REQUEST_TIMED_OUT)
    }
    return { index, errorCode: ErrorCode.NONE, baseOffset: r.baseOffset, logAppendTimeMs: r.logAppendTime, logStartOffset: r.logStartOffset }
  } catch (err) {
    const code = wireCode(err)
    if (code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.log.error({ err, topic, partition: index }, 'produce failed')
    return failed(index, code)
  } finally {
    deadline?.cancel()
  }
}

/** Message sets (magic 0/1) and record batches (magic 2) both keep their magic byte at offset 16. */
const MAGIC_OFFSET = 16
const RECORD_BATCH_MAGIC = 2

function magicOf(records: Buffer): number {
  return records.length > MAGIC_OFFSET ? records.readInt8(MAGIC_OFFSET) : -1
}

const TIMED_OUT = Symbol('timed out')

function startDeadline(ms: number): { expired: Promise<typeof TIMED_OUT>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(() => resolve(TIMED_OUT), ms) })
  return { expired, cancel: () => clearTimeout(timer) }
}
