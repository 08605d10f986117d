// DeleteRecords: move a partition's log start offset forward (-1 = up to the high watermark).
import type { DeleteRecordsRequest, DeleteRecordsResponse } from '../../protocol/messages/delete-records'
import { ErrorCode } from '../../protocol/error-codes'
import type { RequestContext } from '../request-context'
import { wireCode } from '../error-mapping'
import { eachPartition, partitionFor } from './partition-access'

type PartitionResult = DeleteRecordsResponse['topics'][number]['partitions'][number]

export async function handleDeleteRecords(req: DeleteRecordsRequest, ctx: RequestContext): Promise<DeleteRecordsResponse> {
  const topics = await eachPartition(req.topics, (topic, p) => deleteBefore(ctx, topic, p.partitionIndex, p.offset))
  return { throttleTimeMs: 0, topics }
}

async function deleteBefore(ctx: RequestContext, topic: string, partitionIndex: number, offset: number): Promise<PartitionResult> {
  const access = partitionFor(ctx, topic, partitionIndex)
  if (access.log === undefined) return { partitionIndex, lowWatermark: -1, errorCode: access.errorCode }
  const log = access.log
  const target = offset === -1 ? log.highWatermark : offset
  if (target < 0 || target > log.highWatermark) return { partitionIndex, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }
  try {
    const lowWatermark = await log.deleteRecordsBefore(target)
    return { partitionIndex, lowWatermark, errorCode: ErrorCode.NONE }
  } catch (err) {
    return { partitionIndex, lowWatermark: -1, errorCode: wireCode(err) }
  }
}
