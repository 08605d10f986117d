import assert from 'node:assert/strict'
import type { RawMirrorBatch } from '../../../mirror/connectors/mirror-batch'
import { MirrorMetrics } from '../../../mirror/driver/mirror-metrics'
import { TaskMetrics } from '../../../mirror/driver/task-metrics'

function rawBatch(topic: string, partition: number, from: number, count: number, highWatermark: number, maxTimestamp: number): RawMirrorBatch {
  return {
    topic: `A.${topic}`, partition, batches: [Buffer.alloc(100)], offsets: Array.from({ length: count }, (_, i) => from + i),
    bytes: 100, maxTimestamps: [maxTimestamp], sourceHighWatermark: highWatermark,
    sourcePartition: { cluster: 'A', topic, partition }, sourceKey: `${topic}\u0000${partition}`,
  }
}

type Sample = { value: number; labels: Record<string, string | number>; metricName?: string }

async function samples(metrics: MirrorMetrics, name: string): Promise<Sample[]> {
  return (await metrics.registry.getSingleMetric(name)!.get()).values as Sample[]
}

/** A counter's or gauge's value for one partition. */
async function value(metrics: MirrorMetrics, name: string, partition: string): Promise<number | undefined> {
  return (await samples(metrics, name)).find((v) => v.labels.partition === partition)?.value
}

describe('mirror/driver/task-metrics', () => {
  it('reports lag as the last fetched high watermark minus the next offset to acknowledge, per partition', async () => {
    const metrics = new MirrorMetrics()
    const t = new TaskMetrics({ metrics, source: 'A', target: 'B' })
    const now = Date.now()
    const first = rawBatch('orders', 0, 0, 60, 100, now - 5000)
    t.polledRaw(first)
    assert.equal(await value(metrics, 'mm2_replication_lag_records', '0'), undefined, 'no lag before anything is acknowledged')
    t.ackedRaw(first)
    assert.equal(await value(metrics, 'mm2_replication_lag_records', '0'), 40)
    // A later fetch saw the partition grow; the lag follows before the next acknowledgement.
    const second = rawBatch('orders', 0, 60, 40, 130, now)
    t.polledRaw(second)
    assert.equal(await value(metrics, 'mm2_replication_lag_records', '0'), 70)
    t.ackedRaw(second)
    assert.equal(await value(metrics, 'mm2_replication_lag_records', '0'), 30)
    // Other partitions keep their own figures; an older fetch never lowers the known high watermark.
    const other = rawBatch('orders', 1, 0, 10, 10, now)
    t.polledRaw(other)
    t.ackedRaw(other)
    t.polledRaw(rawBatch('orders', 0, 100, 1, 120, now))
    assert.equal(await value(metrics, 'mm2_replication_lag_records', '1'), 0)
    assert.equal(await value(metrics, 'mm2_replication_lag_records', '0'), 30)
    // Counts and ages: 100 + 10 records acknowledged; one age per polled record batch.
    assert.equal(await value(metrics, 'mm2_record_count', '0'), 100)
    assert.equal(await value(metrics, 'mm2_record_count', '1'), 10)
    const ages = await samples(metrics, 'mm2_record_age_ms')
    assert.deepEqual(ages.filter((v) => v.metricName === 'mm2_record_age_ms_count' && v.labels.partition === '0').map((v) => v.value), [3])
    const oldest = ages.find((v) => v.metricName === 'mm2_record_age_ms_bucket' && v.labels.partition === '0' && v.labels.le === 1000)
    assert.equal(oldest?.value, 2, 'the batch written 5 s ago is older than 1 s')
  })
})
