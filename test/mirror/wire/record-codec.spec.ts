import assert from 'node:assert/strict'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { crcMatches } from '../../../mirror/wire/batch-rewrite'
import { decodeBatchRecords, encodeBatch, type WireRecord } from '../../../mirror/wire/record-codec'
import { CODECS, encodeBatch as kafkajsBatch, sampleRecords } from './raw-batches'

/* eslint-disable @typescript-eslint/no-require-imports */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0')
const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
const Decoder = require('kafkajs/src/protocol/decoder')
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')

const T0 = 1_700_000_000_000
const b = (s: string): Buffer => Buffer.from(s)

interface KMessage { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]> }

/** Our records in kafkajs's shape (headers folded into an object), to compare with its decoder. */
function asKafkajs(r: WireRecord): unknown {
  const headers: Record<string, string | null | Array<string | null>> = {}
  for (const [k, v] of r.headers) {
    const s = v === null ? null : v.toString()
    const prev = headers[k]
    headers[k] = prev === undefined ? s : Array.isArray(prev) ? [...prev, s] : [prev, s]
  }
  return { offset: String(r.offset), timestamp: String(r.timestamp), key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, headers }
}

function kafkajsView(m: KMessage): unknown {
  const headers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => x?.toString() ?? null) : v?.toString() ?? null]))
  return { offset: m.offset, timestamp: m.timestamp, key: m.key?.toString() ?? null, value: m.value?.toString() ?? null, headers }
}

const rec = (offset: number, ts: number, headers: WireRecord['headers'], key: string | null = `k${offset}`, value: string | null = `v${offset}`): WireRecord =>
  ({ offset, timestamp: ts, key: key === null ? null : b(key), value: value === null ? null : b(value), headers })

describe('mirror/wire/record-codec', () => {
  before(() => registerKafkajsCodecs())

  for (const [name, codec] of Object.entries(CODECS)) {
    it(`decodes a ${name} batch kafkajs encoded exactly as kafkajs decodes it`, async () => {
      const batch = await kafkajsBatch(name as keyof typeof CODECS, sampleRecords(name, 40), { baseOffset: 500 })
      const ours = await decodeBatchRecords(batch)
      const theirs = (await decodeBatch(new Decoder(batch))).records as KMessage[]
      assert.equal(ours.codec, codec)
      assert.equal(ours.records.length, 40)
      assert.deepEqual(ours.records.map(asKafkajs), theirs.map(kafkajsView))
    })

    it(`encodes a ${name} batch byte for byte as kafkajs's RecordBatch does`, async () => {
      const records = [rec(0, T0, [['seq', b('0')], ['tag', b('x')]]), rec(1, T0 - 7, [], null, null), rec(2, T0 + 2 ** 33, [['dup', b('a')]], '', 'z'.repeat(300))]
      const ours = await encodeBatch(codec, records)
      const theirs: Buffer = (await RecordBatch({
        compression: codec, firstOffset: 0, firstTimestamp: T0, maxTimestamp: T0 + 2 ** 33, partitionLeaderEpoch: -1, lastOffsetDelta: 2,
        producerEpoch: -1, firstSequence: -1,
        records: records.map((r, i) => Record({ offsetDelta: i, timestampDelta: r.timestamp - T0, key: r.key, value: r.value, headers: Object.fromEntries(r.headers) })),
      })).buffer
      assert.ok(ours.equals(theirs), `${ours.toString('hex')}\n!=\n${theirs.toString('hex')}`)
      assert.ok(crcMatches(ours))
      assert.deepEqual((await decodeBatchRecords(ours)).records, records)
    })
  }

  it('keeps header order, repeats and null values: golden bytes, and kafkajs reads the null as null', async () => {
    const headers: WireRecord['headers'] = [['2', b('two')], ['a', null], ['1', b('one')], ['a', b('again')]]
    const batch = await encodeBatch(0, [rec(0, T0, headers, 'k', null)])
    // length 30, attributes 0, timestampDelta 0, offsetDelta 0, key "k", value null (-1 = 0x01),
    // 4 headers: "2"="two", "a"=null, "1"="one", "a"="again".
    const golden = Buffer.from('3c' + '00' + '00' + '00' + '02' + '6b' + '01' + '08'
      + '02' + '32' + '06' + '74776f'
      + '02' + '61' + '01'
      + '02' + '31' + '06' + '6f6e65'
      + '02' + '61' + '0a' + '616761696e', 'hex')
    assert.equal(golden[0] >> 1, golden.length - 1)
    assert.ok(batch.subarray(61).equals(golden), batch.subarray(61).toString('hex'))
    assert.equal(batch.readInt32BE(57), 1)
    const back = await decodeBatchRecords(batch)
    assert.deepEqual(back.records[0].headers, headers)
    assert.equal(back.records[0].value, null)
    const theirs = (await decodeBatch(new Decoder(batch))).records[0] as KMessage
    assert.deepEqual(Object.keys(theirs.headers), ['1', '2', 'a']) // why kafkajs cannot be the mirror's codec
    assert.deepEqual(theirs.headers.a, [null, b('again')])
  })

  it('round-trips every codec with compaction-style offsets, LogAppendTime and wide varints', async () => {
    for (const codec of Object.values(CODECS)) {
      const records = Array.from({ length: 300 }, (_, i) => rec(i, T0 + (i % 3 === 0 ? -i * 1_000_000 : i * 2 ** 20), i % 4 === 0 ? [] : [['h', i % 8 === 1 ? null : b('x'.repeat(i))], ['2', b(String(i))]], i % 5 === 0 ? null : `key-${i}`, 'v'.repeat(i * 3)))
      const batch = await encodeBatch(codec, records)
      assert.deepEqual((await decodeBatchRecords(batch)).records, records.map((r) => ({ ...r })))
      // LogAppendTime: every record reads the batch's max timestamp, as Kafka defines it.
      const lat = Buffer.from(batch)
      lat.writeInt16BE(lat.readInt16BE(21) | 0x08, 21)
      const max = Number(lat.readBigInt64BE(35))
      assert.ok((await decodeBatchRecords(lat)).records.every((r) => r.timestamp === max))
      // A batch at base offset 1000 gives absolute offsets.
      lat.writeBigInt64BE(1000n, 0)
      assert.equal((await decodeBatchRecords(lat)).records[299].offset, 1299)
    }
  })

  it('rejects a truncated batch with a RangeError, and an empty record list', async () => {
    const batch = await encodeBatch(0, [rec(0, T0, [['h', b('value')]])])
    const cut = Buffer.from(batch.subarray(0, batch.length - 3))
    cut.writeInt32BE(cut.length - 12, 8)
    await assert.rejects(decodeBatchRecords(cut), RangeError)
    await assert.rejects(encodeBatch(0, []), /at least one record/)
  })
})
