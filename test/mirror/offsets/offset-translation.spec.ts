import assert from 'node:assert/strict'
import { OffsetSyncEmitter, OffsetTranslator } from '../../../mirror/offsets'

/** A seeded PRNG so a failing pattern can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 }
}

interface Replicated { up: number; down: number }

/** Builds a random upstream log with gaps, replicates it (with optional foreign writes downstream). */
function scenario(seed: number): { records: Replicated[]; translator: OffsetTranslator; syncs: number } {
  const r = rng(seed)
  const emitter = new OffsetSyncEmitter(1 + Math.floor(r() * 50))
  const translator = new OffsetTranslator()
  const records: Replicated[] = []
  let up = Math.floor(r() * 20)
  let down = Math.floor(r() * 1000)
  let syncs = 0
  const n = 50 + Math.floor(r() * 300)
  const gapRate = r() * 0.5
  for (let i = 0; i < n; i++) {
    if (r() < gapRate) up += 1 + Math.floor(r() * 5) // compaction / transaction markers upstream
    if (r() < 0.05) down += 1 + Math.floor(r() * 3) // someone else wrote to the target partition
    records.push({ up, down })
    for (const s of emitter.record('t', 0, up, down)) { translator.add(s); syncs++ }
    if (r() < 0.05) for (const t of emitter.flushTail()) { translator.add(t); syncs++ }
    up++
    down++
  }
  for (const t of emitter.flushTail()) { translator.add(t); syncs++ }
  return { records, translator, syncs }
}

describe('mirror/offsets', () => {
  it('translates exactly: a group resumes at the first record >= its upstream offset (500 random gap patterns)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { records, translator } = scenario(seed)
      const first = records[0].up
      const last = records[records.length - 1]
      let i = 0
      for (let u = first; u <= last.up + 1; u++) {
        while (i < records.length && records[i].up < u) i++
        const expected = i < records.length ? records[i].down : last.down + 1
        assert.equal(translator.translate('t', 0, u), expected, `seed ${seed}, upstream offset ${u}`)
      }
      assert.equal(translator.translate('t', 0, first - 1), undefined, `seed ${seed}: before the first sync is unknown`)
      assert.equal(translator.translate('t', 0, last.up + 2), undefined, `seed ${seed}: past the covered range is unknown`)
    }
  })

  it('emits few syncs on a gapless topic (every offset.lag.max records) yet stays exact', () => {
    const emitter = new OffsetSyncEmitter(100)
    const tr = new OffsetTranslator()
    let emitted = 0
    for (let u = 0; u < 1000; u++) {
      for (const s of emitter.record('t', 1, u, u + 5000)) { tr.add(s); emitted++ }
    }
    for (const s of emitter.flushTail()) { tr.add(s); emitted++ }
    assert.equal(emitted, 11)
    for (const u of [0, 1, 99, 500, 999, 1000]) assert.equal(tr.translate('t', 1, u), u + 5000)
    assert.equal(tr.translate('t', 2, 5), undefined)
  })

  it('a replay after a restart re-maps from the replayed offset on', () => {
    const tr = new OffsetTranslator()
    tr.add({ topic: 't', partition: 0, upstreamOffset: 0, downstreamOffset: 0 })
    tr.add({ topic: 't', partition: 0, upstreamOffset: 9, downstreamOffset: 9 })
    // records 5..9 were written again at 10..14 after a crash
    tr.add({ topic: 't', partition: 0, upstreamOffset: 5, downstreamOffset: 10 })
    assert.equal(tr.translate('t', 0, 3), 3)
    assert.equal(tr.translate('t', 0, 5), 10)
    assert.equal(tr.translate('t', 0, 6), 11)
  })
})
