// ListOffsets: -1 = latest (the high watermark), -2 = earliest (log start), otherwise the first
// offset whose timestamp is at or after the one asked for (-1/-1 when there is none).
import type { ListOffsetsRequest, ListOffsetsResponse } from '../../protocol/messages/list-offsets'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode } from '../error-mapping'
import { eachPartition, partitionFor } from './partition-access'

const LATEST = -1
const EARLIEST = -2

type PartitionResult = ListOffsetsResponse['topics'][number]['partitions'][number]

export async function handleListOffsets(req: ListOffsetsRequest, ctx: RequestContext): Promise<ListOffsetsResponse> {
  const topics = await eachPartition(req.topics, (topic, p) => lookup(ctx, topic, p.partitionIndex, p.timestamp))
  return { throttleTimeMs: 0, topics }
}

async function lookup(ctx: RequestContext, topic: string, partitionIndex: number, timestamp: number): Promise<PartitionResult> {
  const none = { partitionIndex, timestamp: -1, offset: -1 }
  const access = partitionFor(ctx, topic, partitionIndex)
  if (access.log === undefined) return { ...none, errorCode: access.errorCode }
  const log = access.log
  if (timestamp === LATEST) return { ...none, errorCode: ErrorCode.NONE, offset: log.highWatermark }
  if (timestamp === EARLIEST) return { ...none, errorCode: ErrorCode.NONE, offset: log.logStartOffset }
  if (timestamp < 0) return { ...none, errorCode: ErrorCode.UNSUPPORTED_VERSION }
  try {
    const found = await log.offsetForTimestamp(timestamp)
    if (found === undefined) return { ...none, errorCode: ErrorCode.NONE }
    return { partitionIndex, errorCode: ErrorCode.NONE, timestamp: found.timestamp, offset: found.offset }
  } catch (err) {
    return { ...none, errorCode: wireCode(err) }
  }
}
