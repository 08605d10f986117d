// Reading whole batches out of a partition's segments, bounded by each segment's readable size
// (the high watermark). Kept apart from PartitionLog so each file stays small.
import { LOG_OVERHEAD, OFF_LENGTH, batchSpans } from '../protocol/records/batch-header'
import { SegmentGoneError, type Segment } from './segment'

const EMPTY = Buffer.alloc(0)

/** Index of the last segment whose base offset <= offset (0 if none). */
export function segmentIndexFor(segs: Segment[], offset: number): number {
  let lo = 0
  let hi = segs.length - 1
  let found = 0
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (segs[mid].baseOffset <= offset) { found = mid; lo = mid + 1 } else hi = mid - 1
  }
  return found
}

/** Whole batches from the first one holding an offset >= offset, at most maxBytes unless minOne. */
export async function readBatches(segs: Segment[], offset: number, maxBytes: number, minOne: boolean): Promise<Buffer> {
  for (let i = segmentIndexFor(segs, offset); i < segs.length; i++) {
    const seg = segs[i]
    const limit = seg.readableSize
    const pos = await seg.locate(offset, limit)
    if (seg.gone) throw new SegmentGoneError()
    if (pos < 0) continue
    // End at a known batch boundary when there is one (the readable end or an index entry),
    // so no partial batch is read only to be cut off.
    const boundary = pos + maxBytes >= limit ? limit : seg.offsetIndex.boundaryAtMost(pos, pos + maxBytes)
    if (boundary > pos) return seg.readAt(pos, boundary - pos)
    const buf = await seg.readAt(pos, Math.min(limit - pos, Math.max(maxBytes, LOG_OVERHEAD)))
    const spans = batchSpans(buf)
    let end = 0
    for (const s of spans) { if (s.position + s.size > maxBytes) break; end = s.position + s.size }
    if (end > 0) return buf.subarray(0, end)
    if (!minOne) return EMPTY
    if (spans.length > 0) return buf.subarray(0, spans[0].size)
    return seg.readAt(pos, LOG_OVERHEAD + buf.readInt32BE(OFF_LENGTH)) // first batch alone is larger than maxBytes
  }
  return EMPTY
}
