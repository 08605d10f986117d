// 100,000 records through `startMirror`, 20,000 per codec (none, gzip, snappy, lz4, zstd) in 3
// partitions: binary keys and values of varied sizes (null keys and values among them), repeated
// and empty headers, explicit timestamps. Every record arrives once, in order per partition, with
// key, value, headers and timestamp identical; every batch stored on B keeps its source codec.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { CompressionTypes, type IHeaders } from 'kafkajs'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'
import { registerKafkajsCodecs } from '../../../connectors/kafka/codecs'
import { startMirror, type MirrorHandle } from '../../../mirror/driver'
import { storedBatches, CODECS, type CodecName } from '../wire/raw-batches'
import { mm2Props, readAll, type Seen } from './mirror-helpers'

const PER_CODEC = 20_000
const PARTITIONS = 3
const KAFKAJS_CODECS: Record<CodecName, CompressionTypes> = {
  none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD,
}

/** Record i of a topic: about 1 in 13 keys and 1 in 17 values null, sizes 0-299 bytes, headers on some. */
function record(i: number, payload: Buffer): { partition: number; key: Buffer | null; value: Buffer | null; headers?: IHeaders; timestamp: string } {
  const size = (i * 37) % 300
  const headers: IHeaders | undefined = i % 5 === 0 ? { trace: [Buffer.from(`t${i}`), Buffer.from(`u${i}`)], empty: Buffer.alloc(0) } : i % 7 === 0 ? { only: `h${i}` } : undefined
  return {
    partition: i % PARTITIONS,
    key: i % 13 === 0 ? null : payload.subarray(i % 1000, i % 1000 + 8 + (i % 24)),
    value: i % 17 === 0 ? null : payload.subarray(i % 4096, i % 4096 + size),
    ...(headers !== undefined ? { headers } : {}),
    timestamp: String(1_700_000_000_000 + i),
  }
}

/** What must match, byte for byte: partition, order, key, value, headers, timestamp. */
function comparable(rs: Seen[]): string[] {
  return rs.map((r) => [r.partition, r.rawKey?.toString('hex') ?? 'null', r.rawValue?.toString('hex') ?? 'null', JSON.stringify(r.headers), r.timestamp].join(' '))
}

describe('mirror/integration replication of 100,000 records with every codec', function () {
  this.timeout(180000)
  let a: TestCluster
  let b: TestCluster
  let mirror: MirrorHandle | undefined

  before(async () => {
    registerKafkajsCodecs()
    ;[a, b] = await Promise.all([startTestCluster(), startTestCluster()])
  })
  after(async () => {
    await mirror?.stop()
    await Promise.all([a?.stop(), b?.stop()])
  })

  it('copies every record once, in order, byte for byte, each batch in its source codec', async () => {
    const prefix = uniqueName('volume')
    const payload = randomBytes(8192)
    const admin = a.kafka().admin()
    await admin.connect()
    const producer = a.kafka().producer()
    await producer.connect()
    const codecs = Object.keys(KAFKAJS_CODECS) as CodecName[]
    for (const codec of codecs) {
      const topic = `${prefix}-${codec}`
      await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
      for (let i = 0; i < PER_CODEC; i += 2000) {
        await producer.send({ topic, compression: KAFKAJS_CODECS[codec], messages: Array.from({ length: 2000 }, (_, j) => record(i + j, payload)) })
      }
    }
    await producer.disconnect()
    await admin.disconnect()

    mirror = await startMirror(mm2Props(a.bootstrapServers, b.bootstrapServers, { 'A->B.topics': `${prefix}-.*`, 'tasks.max': '1' }))
    let total = 0
    for (const codec of codecs) {
      const topic = `${prefix}-${codec}`
      const [src, dst] = await Promise.all([readAll(a.kafka(), topic, PER_CODEC, 60000), readAll(b.kafka(), `A.${topic}`, PER_CODEC, 60000)])
      assert.equal(dst.length, PER_CODEC, `${topic}: every record once`)
      const [want, got] = [comparable(src), comparable(dst)]
      const firstDiff = want.findIndex((w, i) => w !== got[i])
      assert.equal(firstDiff, -1, `${topic}: first difference at record ${firstDiff}: ${want[firstDiff]} / ${got[firstDiff]}`)
      // Offsets too: nothing else was written to the remote topic, so record n sits at offset n.
      dst.forEach((r, i) => assert.equal(r.offset, src[i].offset, `${topic}: record ${i}'s offset`))
      for (let p = 0; p < PARTITIONS; p++) {
        const stored = storedBatches(b.dataDir, `A.${topic}`, p)
        assert.ok(stored.length > 0)
        assert.deepEqual([...new Set(stored.map((h) => h.codec))], [CODECS[codec]], `A.${topic}-${p}: every batch ${codec}`)
      }
      total += dst.length
    }
    assert.equal(total, 100_000)
  })
})
