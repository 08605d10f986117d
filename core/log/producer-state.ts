// Idempotent-producer state of one partition: per producer id its epoch, last sequence and the
// offsets of its last five batches (Kafka keeps five, the most a producer has in flight), so
// a retried batch is recognised and answered with its original offsets. Persisted as
// <offset>.snapshot files and rebuilt from batch headers after the newest snapshot.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InvalidProducerEpochError, OutOfOrderSequenceError } from './errors'
import { segmentName, writeFileAtomic, type FileWrite } from './io'

export const RETAINED_BATCHES = 5

export interface BatchMeta { firstSeq: number; lastSeq: number; firstOffset: number; lastOffset: number }
export interface ProducerEntry { producerId: number; epoch: number; batches: BatchMeta[]; lastTimestamp: number }
export interface ProducerBatch { producerId: number; epoch: number; firstSeq: number; lastSeq: number; maxTimestamp: number }

const SNAPSHOT_SUFFIX = '.snapshot'

/** Sequence after seq, wrapping at int32 max as Kafka does. */
const nextSeq = (seq: number): number => (seq === 0x7fffffff ? 0 : seq + 1)

export class ProducerStateManager {
  private entries = new Map<number, ProducerEntry>()
  /** Offset of the snapshot that matches the state exactly, or -1. */
  savedAt = -1

  constructor(readonly dir: string) {}

  get(producerId: number): ProducerEntry | undefined { return this.entries.get(producerId) }
  get size(): number { return this.entries.size }

  /**
   * Checks a batch against the state plus updates staged earlier in the same append. Returns
   * the original batch when it is a duplicate; throws OutOfOrderSequence / InvalidProducerEpoch.
   */
  check(b: ProducerBatch, staged: Map<number, ProducerEntry>): BatchMeta | undefined {
    const e = staged.get(b.producerId) ?? this.entries.get(b.producerId)
    if (e === undefined) return undefined // unknown producer (new, or its state expired): accept
    if (b.epoch < e.epoch) {
      throw new InvalidProducerEpochError(`producer ${b.producerId} sent epoch ${b.epoch} but epoch ${e.epoch} is current; this producer was fenced by a newer instance`)
    }
    if (b.epoch > e.epoch) {
      if (b.firstSeq !== 0) throw new OutOfOrderSequenceError(`producer ${b.producerId} bumped its epoch to ${b.epoch} but started at sequence ${b.firstSeq}, not 0`)
      return undefined
    }
    const dup = e.batches.find((m) => m.firstSeq === b.firstSeq && m.lastSeq === b.lastSeq)
    if (dup !== undefined) return dup
    const last = e.batches.length === 0 ? -1 : e.batches[e.batches.length - 1].lastSeq
    if (last >= 0 && b.firstSeq !== nextSeq(last)) {
      throw new OutOfOrderSequenceError(`producer ${b.producerId} (epoch ${b.epoch}) sent sequence ${b.firstSeq} but the partition expected ${nextSeq(last)}`)
    }
    return undefined
  }

  /** Stages (into staged) or applies (staged omitted) an accepted batch at its offsets. */
  update(b: ProducerBatch, firstOffset: number, lastOffset: number, staged?: Map<number, ProducerEntry>): void {
    const cur = staged?.get(b.producerId) ?? this.entries.get(b.producerId)
    const e: ProducerEntry = cur === undefined || b.epoch !== cur.epoch
      ? { producerId: b.producerId, epoch: b.epoch, batches: [], lastTimestamp: b.maxTimestamp }
      : { ...cur, batches: [...cur.batches] }
    e.batches.push({ firstSeq: b.firstSeq, lastSeq: b.lastSeq, firstOffset, lastOffset })
    if (e.batches.length > RETAINED_BATCHES) e.batches.shift()
    e.lastTimestamp = Math.max(e.lastTimestamp, b.maxTimestamp)
    ;(staged ?? this.entries).set(b.producerId, e)
    if (staged === undefined) this.savedAt = -1
  }

  commit(staged: Map<number, ProducerEntry>): void {
    if (staged.size > 0) this.savedAt = -1
    for (const [id, e] of staged) this.entries.set(id, e)
  }

  clear(): void { this.entries.clear() }

  /** Forgets producers idle longer than expirationMs (Kafka's producer.id.expiration.ms); returns how many. */
  expire(now: number, expirationMs: number): number {
    let n = 0
    for (const [id, e] of this.entries) {
      if (e.lastTimestamp < now - expirationMs) { this.entries.delete(id); n++ }
    }
    if (n > 0) this.savedAt = -1
    return n
  }

  /** Writes <offset>.snapshot (state of all batches below offset); keeps the newest three. */
  writeSnapshot(offset: number): void {
    const w = this.snapshotFile(offset)
    writeFileAtomic(w.file, w.data)
    this.savedAt = offset
    this.pruneSnapshots()
  }

  snapshotFile(offset: number): FileWrite {
    const body = JSON.stringify({ version: 1, offset, producers: [...this.entries.values()] })
    return { file: path.join(this.dir, segmentName(offset) + SNAPSHOT_SUFFIX), data: body }
  }

  pruneSnapshots(): void {
    const all = this.snapshotOffsets()
    for (const old of all.slice(0, Math.max(0, all.length - 3))) this.removeSnapshot(old)
  }

  /** Loads the newest readable snapshot at or below maxOffset (deleting newer ones); returns its offset or -1. */
  loadSnapshot(maxOffset: number): number {
    this.entries.clear()
    const offsets = this.snapshotOffsets()
    for (const o of offsets) if (o > maxOffset) this.removeSnapshot(o)
    for (const o of offsets.filter((x) => x <= maxOffset).reverse()) {
      try {
        const data = JSON.parse(fs.readFileSync(path.join(this.dir, segmentName(o) + SNAPSHOT_SUFFIX), 'utf8')) as { offset: number; producers: ProducerEntry[] }
        for (const p of data.producers) this.entries.set(p.producerId, p)
        this.savedAt = o
        return o
      } catch {
        this.removeSnapshot(o) // torn or corrupt: fall back to an older one
      }
    }
    return -1
  }

  snapshotOffsets(): number[] {
    let names: string[] = []
    try { names = fs.readdirSync(this.dir) } catch { return [] }
    return names.filter((n) => n.endsWith(SNAPSHOT_SUFFIX)).map((n) => Number(n.slice(0, -SNAPSHOT_SUFFIX.length)))
      .filter((n) => Number.isSafeInteger(n)).sort((a, b) => a - b)
  }

  private removeSnapshot(offset: number): void {
    try { fs.unlinkSync(path.join(this.dir, segmentName(offset) + SNAPSHOT_SUFFIX)) } catch { /* gone */ }
  }
}
