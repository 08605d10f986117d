// Opening a partition directory. After a clean shutdown the index files are trusted (after a
// sanity check). After an unclean one, every segment from the one holding the recovery point
// on is re-read: each batch's CRC-32C is checked, the file is cut at the first invalid byte,
// later segments are dropped and the indexes rebuilt. Interrupted compaction swaps are
// completed (.swap) or discarded (.cleaned). Producer state comes from the newest snapshot plus
// the batch headers after it.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createLogger } from '../../config/logger'
import type { Clock } from './clock'
import type { FdCache } from './fd-cache'
import { PartitionLog } from './partition-log'
import { ProducerStateManager } from './producer-state'
import { scanFile } from './scan'
import { Segment } from './segment'
import type { TopicConfig } from './topic-config'

const log = createLogger('core/log/recovery')

export interface OpenPartitionOptions {
  topic: string
  partition: number
  dir: string
  fds: FdCache
  clock: Clock
  config: TopicConfig
  /** The previous stop was clean (the .kafka_cleanshutdown marker was present). */
  clean: boolean
  recoveryPoint?: number
  logStartOffset?: number
  onLogStartOffset?: (log: PartitionLog, urgent: boolean) => void
}

export interface RecoveryReport { truncatedBytes: number; rebuiltSegments: number; droppedSegments: number; problems: string[] }

export function openPartitionLog(o: OpenPartitionOptions): { log: PartitionLog; report: RecoveryReport } {
  const report: RecoveryReport = { truncatedBytes: 0, rebuiltSegments: 0, droppedSegments: 0, problems: [] }
  fs.mkdirSync(o.dir, { recursive: true })
  const swapped = tidyDirectory(o.dir)
  const bases = fs.readdirSync(o.dir).filter((n) => /^\d{20}\.log$/.test(n)).map((n) => Number(n.slice(0, 20))).sort((a, b) => a - b)
  const now = o.clock.now()
  const interval = o.config['index.interval.bytes']
  const segments: Segment[] = []
  const recoveryPoint = o.clean ? Infinity : (o.recoveryPoint ?? 0)
  let firstToRecover = bases.length - 1
  while (firstToRecover > 0 && bases[firstToRecover] > recoveryPoint) firstToRecover--
  for (let i = 0; i < bases.length; i++) {
    const seg = new Segment(o.dir, bases[i], o.fds, now)
    const mustValidate = !o.clean && i >= firstToRecover
    if (mustValidate || swapped.has(bases[i]) || !seg.loadIndexes()) {
      const before = fs.statSync(seg.logPath).size
      const r = seg.rebuild(true, interval)
      report.rebuiltSegments++
      if (r.problem !== undefined) {
        report.truncatedBytes += before - r.validEnd
        report.problems.push(`${path.basename(seg.logPath)}: ${r.problem}`)
        log.warn({ partition: path.basename(o.dir), segment: seg.baseOffset, problem: r.problem }, 'truncated log at first invalid batch')
      }
      const prev = segments[segments.length - 1]
      if (prev !== undefined && prev.nextOffset > seg.baseOffset) { dropFiles(seg); report.droppedSegments++; continue }
      segments.push(seg)
      if (r.problem !== undefined) {
        for (const b of bases.slice(i + 1)) { dropFiles(new Segment(o.dir, b, o.fds, now)); report.droppedSegments++ }
        break
      }
    } else {
      segments.push(seg)
    }
  }
  // A crash right after a roll leaves an empty newest segment whose base may lie past the real
  // end of the previous one (its last batches never reached the disk): drop it, so appends
  // continue where the data ends instead of leaving a gap.
  while (segments.length > 1 && segments[segments.length - 1].size === 0) {
    dropFiles(segments.pop()!)
    report.droppedSegments++
  }
  const startOffset = Math.max(o.logStartOffset ?? 0, segments.length > 0 ? segments[0].baseOffset : 0)
  if (segments.length === 0) segments.push(Segment.create(o.dir, startOffset, o.fds, now))
  // segment.ms counts from the active segment's creation, not from this restart (where the
  // file system records a birth time; never later than the clock).
  const active = segments[segments.length - 1]
  const born = fs.statSync(active.logPath).birthtimeMs
  if (born > 0) active.createdMs = Math.min(now, born)
  for (const s of segments.slice(0, -1)) {
    s.sealed = s.settled = true
    if (report.rebuiltSegments > 0) s.writeIndexes()
  }
  const producers = new ProducerStateManager(o.dir)
  const logEnd = segments[segments.length - 1].nextOffset
  rebuildProducerState(producers, segments, logEnd)
  const partitionLog = new PartitionLog({
    topic: o.topic, partition: o.partition, dir: o.dir, fds: o.fds, clock: o.clock, config: o.config,
    segments, logStartOffset: Math.min(startOffset, logEnd), producers, onLogStartOffset: o.onLogStartOffset,
  })
  return { log: partitionLog, report }
}

/** Removes leftovers (.deleted, .cleaned, .tmp), completes .swap renames; returns swapped bases. */
function tidyDirectory(dir: string): Set<number> {
  const swapped = new Set<number>()
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name)
    if (name.endsWith('.deleted') || name.endsWith('.cleaned') || name.endsWith('.tmp')) fs.rmSync(full, { force: true })
    else if (name.endsWith('.swap')) {
      fs.renameSync(full, full.slice(0, -'.swap'.length))
      swapped.add(Number(name.slice(0, 20)))
    }
  }
  return swapped
}

function dropFiles(seg: Segment): void {
  seg.fds.evict(seg.logPath)
  for (const p of [seg.logPath, seg.indexPath, seg.timeIndexPath]) fs.rmSync(p, { force: true })
}

/** Newest snapshot at or below logEnd, then every producer batch header after it. */
function rebuildProducerState(producers: ProducerStateManager, segments: Segment[], logEnd: number): void {
  const from = Math.max(producers.loadSnapshot(logEnd), 0)
  if (from === logEnd) return
  for (const seg of segments) {
    if (seg.nextOffset <= from) continue
    seg.fds.withSync(seg.logPath, (fd) => scanFile(fd, 0, seg.size, false, (b) => {
      if (b.baseOffset < from) return
      const h = b.bytes
      const producerId = h.readInt32BE(43) * 4294967296 + h.readUInt32BE(47)
      if (producerId < 0 || (h.readInt16BE(21) & 0x20) !== 0) return
      const seq = h.readInt32BE(53)
      producers.update({ producerId, epoch: h.readInt16BE(51), firstSeq: seq, lastSeq: seq + (b.lastOffset - b.baseOffset), maxTimestamp: b.maxTimestamp }, b.baseOffset, b.lastOffset)
    }))
  }
}
