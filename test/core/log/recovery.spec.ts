import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { LogManager } from '../../../core/log'
import { decodeBatches } from '../../../core/protocol/records/record-codec'
import { makeTempDir } from '../../helpers/temp-dir'
import { abandon, batch, FakeClock, openManager, readEverything } from './log-helpers'

const SEG0 = '00000000000000000000'

/** Writes 10 batches of 3 records (one segment), returns the bytes of each batch as stored. */
async function fill(m: LogManager, topic: string, configs: Record<string, string> = {}): Promise<Buffer[]> {
  await m.createTopic(topic, 1, configs)
  const out: Buffer[] = []
  for (let i = 0; i < 10; i++) {
    const b = batch(3, { prefix: `b${i}`, valueBytes: 40 + i })
    await m.partition(topic, 0)!.append(b)
    out.push(b)
  }
  return out
}

async function readAll(m: LogManager, topic: string): Promise<Buffer> {
  const log = m.partition(topic, 0)!
  return (await log.read(log.logStartOffset, 1 << 24)).records
}

describe('core/log/recovery', () => {
  let tmp: { dir: string; cleanup: () => void }
  const clock = new FakeClock()
  beforeEach(() => { tmp = makeTempDir() })
  afterEach(() => tmp.cleanup())

  /** Crash, damage the active segment's file with fn, reopen; returns the reopened manager. */
  async function crashAndDamage(fn: (file: string, batches: Buffer[]) => void): Promise<{ m: LogManager; batches: Buffer[] }> {
    const m0 = await openManager(tmp.dir, clock)
    const batches = await fill(m0, 'r')
    await abandon(m0)
    fn(path.join(tmp.dir, 'r-0', `${SEG0}.log`), batches)
    return { m: await openManager(tmp.dir, clock), batches }
  }

  const sizeOf = (bs: Buffer[], n: number): number => bs.slice(0, n).reduce((s, b) => s + b.length, 0)

  it('truncated tail: cut mid-batch, recovery keeps every whole batch before it', async () => {
    const { m, batches } = await crashAndDamage((f, bs) => fs.truncateSync(f, sizeOf(bs, 9) + 20))
    const log = m.partition('r', 0)!
    assert.equal(log.logEndOffset, 27)
    assert.deepEqual(await readAll(m, 'r'), Buffer.concat(batches.slice(0, 9)))
    assert.equal(fs.statSync(path.join(tmp.dir, 'r-0', `${SEG0}.log`)).size, sizeOf(batches, 9))
    assert.equal((await log.append(batch(1))).baseOffset, 27, 'appends continue after the cut')
    await m.close()
  })

  it('torn batch: the tail of the last batch is zeros, it is dropped', async () => {
    const { m, batches } = await crashAndDamage((f, bs) => {
      const fd = fs.openSync(f, 'r+')
      fs.writeSync(fd, Buffer.alloc(30), 0, 30, sizeOf(bs, 10) - 30)
      fs.closeSync(fd)
    })
    assert.equal(m.partition('r', 0)!.logEndOffset, 27)
    assert.deepEqual(await readAll(m, 'r'), Buffer.concat(batches.slice(0, 9)))
    assert.match(m.recoveryReports.get('r-0')!.problems[0], /CRC/)
    await m.close()
  })

  it('flipped CRC byte: truncates at the first invalid batch', async () => {
    const { m, batches } = await crashAndDamage((f, bs) => {
      const fd = fs.openSync(f, 'r+')
      const at = sizeOf(bs, 6) + 17 // the CRC field of batch 6
      const b = Buffer.alloc(1)
      fs.readSync(fd, b, 0, 1, at); b[0] ^= 0x01; fs.writeSync(fd, b, 0, 1, at)
      fs.closeSync(fd)
    })
    assert.equal(m.partition('r', 0)!.logEndOffset, 18)
    assert.deepEqual(await readAll(m, 'r'), Buffer.concat(batches.slice(0, 6)))
    await m.close()
  })

  it('garbage appended: removed, every batch intact', async () => {
    const { m, batches } = await crashAndDamage((f) => fs.appendFileSync(f, Buffer.from('this is not a record batch at all, just noise')))
    assert.equal(m.partition('r', 0)!.logEndOffset, 30)
    assert.deepEqual(await readAll(m, 'r'), Buffer.concat(batches))
    await m.close()
  })

  it('missing and corrupted index files are rebuilt, also after a clean stop', async () => {
    let m = await openManager(tmp.dir, clock)
    await m.createTopic('ix', 1, { 'segment.bytes': '600', 'index.interval.bytes': '50' })
    const log0 = m.partition('ix', 0)!
    const sent: Buffer[] = []
    for (let i = 0; i < 20; i++) { const b = batch(2, { valueBytes: 60 }); await log0.append(b); sent.push(b) }
    await m.close()
    const dir = path.join(tmp.dir, 'ix-0')
    const indexes = fs.readdirSync(dir).filter((n) => n.endsWith('.index')).sort()
    assert.ok(indexes.length >= 3)
    fs.rmSync(path.join(dir, indexes[0]))
    fs.writeFileSync(path.join(dir, indexes[1]), Buffer.from('0123456789abcdef')) // two plausible-size entries of garbage
    fs.rmSync(path.join(dir, indexes[2].replace('.index', '.timeindex')))
    m = await openManager(tmp.dir, clock)
    assert.equal(m.recoveryReports.get('ix-0')!.rebuiltSegments, 3)
    const log = m.partition('ix', 0)!
    for (let off = 0; off < 40; off += 2) {
      const got = decodeBatches((await log.read(off, 1)).records)[0]
      assert.equal(got.baseOffset, off)
    }
    assert.deepEqual(await readEverything(log), Buffer.concat(sent))
    await m.close()
    m = await openManager(tmp.dir, clock)
    assert.equal(m.recoveryReports.get('ix-0')!.rebuiltSegments, 0, 'rebuilt indexes were written back; a clean start trusts them')
    await m.close()
  })

  it('a crash right after a roll: the empty newest segment goes, appends continue where data ends', async () => {
    const m0 = await openManager(tmp.dir, clock)
    const batches = await fill(m0, 'rl')
    m0.partition('rl', 0)!.roll()
    await abandon(m0)
    // The last two batches of the old segment never reached the disk.
    fs.truncateSync(path.join(tmp.dir, 'rl-0', `${SEG0}.log`), sizeOf(batches, 8))
    const m = await openManager(tmp.dir, clock)
    const log = m.partition('rl', 0)!
    assert.equal(log.segments.length, 1)
    assert.equal(log.logEndOffset, 24)
    assert.equal(fs.existsSync(path.join(tmp.dir, 'rl-0', '00000000000000000030.log')), false)
    assert.equal((await log.append(batch(1))).baseOffset, 24)
    await m.close()
  })

  it('a clean stop skips validation; an unclean one validates from the recovery point', async () => {
    let m = await openManager(tmp.dir, clock)
    await fill(m, 'c', { 'segment.bytes': '400' })
    await m.close()
    m = await openManager(tmp.dir, clock)
    assert.equal(m.recoveryReports.get('c-0')!.rebuiltSegments, 0)
    const segs = m.partition('c', 0)!.segments.length
    assert.ok(segs > 3)
    m.checkpoint()
    await abandon(m)
    m = await openManager(tmp.dir, clock)
    const rebuilt = m.recoveryReports.get('c-0')!.rebuiltSegments
    assert.ok(rebuilt >= 1 && rebuilt < segs, `rebuilt ${rebuilt} of ${segs}`)
    assert.equal(m.partition('c', 0)!.logEndOffset, 30)
    await m.close()
  })
})
