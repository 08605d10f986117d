// Produce: append each partition's batches (stored exactly as sent) and answer once the append is
// durable. acks=0 gets no response at all; the appends still happen, in order. With acks=-1 the
// wait for durability is bounded by timeoutMs (REQUEST_TIMED_OUT for that partition, as Kafka
// answers when its ISR does not catch up in time); the append itself is not undone. Each
// partition's records first pass Kafka's per-version checks (magic, zstd only from v7).
import type { ProduceRequest, ProduceResponse } from '../../protocol/messages/produce'
import { ErrorCode, errorName } from '../../protocol/error-codes'
import { CloseConnection } from '../errors'
import type { RequestContext } from '../request-context'
import { wireCode } from '../error-mapping'
import { OFF_ATTRIBUTES, OFF_MAGIC } from '../../protocol/records/batch-header'
import { Codec } from '../../protocol/records/compression'
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
  const problem = recordsProblem(ctx.apiVersion, records)
  if (problem !== ErrorCode.NONE) return failed(index, problem)
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

/**
 * Kafka's per-partition checks of a Produce request's records (ProduceRequest.validateRecords),
 * on the first batch's header. v0-v2 may carry message sets of magic 0/1, which Kafka converts;
 * the log stores RecordBatch v2 only, so those are refused as an unsupported format while v2
 * batches sent over v0-v2 are stored as usual. Message sets keep their magic byte at offset 16 too.
 */
function recordsProblem(apiVersion: number, records: Buffer): number {
  if (records.length < OFF_ATTRIBUTES + 2) return ErrorCode.NONE // too short to judge: the log says CORRUPT_MESSAGE
  const magic = records.readInt8(OFF_MAGIC)
  if (magic !== 2) return apiVersion <= 2 ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.INVALID_RECORD
  const codec = records.readInt16BE(OFF_ATTRIBUTES) & COMPRESSION_MASK
  if (codec === Codec.zstd && apiVersion < 7) return ErrorCode.UNSUPPORTED_COMPRESSION_TYPE
  return ErrorCode.NONE
}

const COMPRESSION_MASK = 0x07

const TIMED_OUT = Symbol('timed out')

function startDeadline(ms: number): { expired: Promise<typeof TIMED_OUT>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(() => resolve(TIMED_OUT), ms) })
  return { expired, cancel: () => clearTimeout(timer) }
}
