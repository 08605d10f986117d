import assert from 'node:assert/strict'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { rawBatchEnd, toMirrorBatch, toRawMirrorBatch, type BatchContext } from '../../../mirror/connectors/mirror-batch'
import { PROVENANCE_HEADER } from '../../../mirror/policy'
import { decodeBatchRecords, encodeBatch, type WireRecord } from '../../../mirror/wire/record-codec'
import { CODECS } from '../wire/raw-batches'

/* eslint-disable @typescript-eslint/no-require-imports */
const Decoder = require('kafkajs/src/protocol/decoder')
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')

const T0 = 1_700_000_000_000
const b = (s: string): Buffer => Buffer.from(s)
const identity: BatchContext = { source: 'A', target: 'B', remoteTopic: (t) => t, compression: {}, identity: true }
const plain: BatchContext = { ...identity, remoteTopic: (t) => `A.${t}`, identity: false }

const rec = (offset: number, headers: WireRecord['headers']): WireRecord => ({ offset, timestamp: T0 + offset, key: b(`k${offset}`), value: offset % 3 === 2 ? null : b(`v${offset}`), headers })

/** A source batch at `base` (our encoder writes offsets from 0; the base offset is set after). */
async function sourceBatch(codec: number, base: number, records: WireRecord[]): Promise<Buffer> {
  const out = await encodeBatch(codec, records)
  out.writeBigInt64BE(BigInt(base), 0)
  return out
}

async function records(batches: Buffer[]): Promise<WireRecord[]> {
  const out: WireRecord[] = []
  for (const x of batches) out.push(...(await decodeBatchRecords(x)).records)
  return out
}

describe('mirror/connectors/mirror-batch toRawMirrorBatch under the identity policy', () => {
  before(() => registerKafkajsCodecs())

  for (const [name, codec] of Object.entries(CODECS)) {
    it(`drops ${name} records that would loop, stamps provenance on the rest, one batch per source batch, offsets of kept records`, async () => {
      const b1 = await sourceBatch(codec, 10, [
        rec(0, [['2', b('two')], ['a', null], ['1', b('one')]]),
        rec(1, [[PROVENANCE_HEADER, b('B,A')]]), // came from B: back to B would loop
        rec(2, [['x', b('1')], [PROVENANCE_HEADER, b('C')], ['y', null]]), // from C: gains A,B; header moves last
      ])
      const b2 = await sourceBatch(codec, 13, [rec(0, [[PROVENANCE_HEADER, b('A,B')]]), rec(1, [])])
      const out = (await toRawMirrorBatch(identity, { topic: 't', partition: 1, batches: [b1, b2], fromOffset: 11 }))!
      assert.deepEqual(out.offsets, [12, 14])
      assert.equal(out.batches.length, 2)
      for (const x of out.batches) {
        assert.equal(x.readInt16BE(21) & 7, codec)
        assert.equal(rawBatchEnd(x), x.readInt32BE(57)) // contiguous from 0: record i lands at base + i
      }
      const got = await records(out.batches)
      assert.deepEqual(got.map((r) => r.headers), [
        [['x', b('1')], ['y', null], [PROVENANCE_HEADER, b('C,A,B')]],
        [[PROVENANCE_HEADER, b('A,B')]],
      ])
      assert.deepEqual(got.map((r) => [r.key, r.value, r.timestamp]), [[b('k2'), null, T0 + 2], [b('k1'), b('v1'), T0 + 1]])
      assert.deepEqual(out.maxTimestamps, [T0 + 2, T0 + 1])
    })
  }

  it('writes what toMirrorBatch (the kafkajs path, and exact resume) writes, headers aside from order and nulls', async () => {
    const src = [rec(0, [['h', b('1')]]), rec(1, [[PROVENANCE_HEADER, b('C')], ['h', b('2')]]), rec(2, [[PROVENANCE_HEADER, b('B')]]), rec(3, [])]
    const batch = await sourceBatch(1, 40, src)
    const raw = (await toRawMirrorBatch(identity, { topic: 't', partition: 0, batches: [batch], fromOffset: 40 }))!
    const kafkajs = toMirrorBatch(identity, { topic: 't', partition: 0, messages: (await decodeBatch(new Decoder(batch))).records, bytes: 0 })!
    assert.deepEqual(raw.offsets, kafkajs.offsets)
    const ours = (await decodeBatch(new Decoder(raw.batches[0]))).records as Array<{ key: Buffer; value: Buffer | null; timestamp: string; headers: unknown }>
    assert.deepEqual(ours.map((m) => [m.key, m.value, Number(m.timestamp), m.headers]), kafkajs.messages.map((m) => [m.key, m.value ?? null, Number(m.timestamp), m.headers]))
  })

  it('returns undefined when every record would loop', async () => {
    const batch = await sourceBatch(0, 0, [rec(0, [[PROVENANCE_HEADER, b('B')]])])
    assert.equal(await toRawMirrorBatch(identity, { topic: 't', partition: 0, batches: [batch], fromOffset: 0 }), undefined)
  })

  it('keeps null header values and header order in the re-encode fallback of other policies', async () => {
    const headers: WireRecord['headers'] = [['2', b('two')], ['a', null], ['1', b('one')]]
    const batch = await sourceBatch(3, 5, [rec(0, []), rec(1, headers)])
    const out = (await toRawMirrorBatch(plain, { topic: 't', partition: 0, batches: [batch], fromOffset: 6 }))!
    assert.deepEqual(out.offsets, [6])
    assert.deepEqual((await records(out.batches))[0].headers, headers)
  })
})
