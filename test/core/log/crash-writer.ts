// Child process for the kill -9 test: appends deterministic batches with several concurrent
// writers and prints "ack <i> <baseOffset>" for each append acknowledged as durable.
import { LogManager } from '../../../core/log'
import { encodeBatch } from '../../../core/protocol/records/record-codec'

export function crashBatch(i: number): Buffer {
  return encodeBatch({
    baseTimestamp: 1_600_000_000_000,
    records: Array.from({ length: 1 + (i % 4) }, (_, j) => ({ key: `k${i}`, value: `value-${i}-${j}-${'x'.repeat(i % 200)}`, timestamp: 1_600_000_000_000 + i })),
  })
}

async function main(): Promise<void> {
  const dir = process.argv[2]
  const m = await LogManager.open({ dataDir: dir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
  if (m.topic('crash') === undefined) await m.createTopic('crash', 1, { 'segment.bytes': '65536' })
  const log = m.partition('crash', 0)!
  let next = 0
  const writer = async (): Promise<void> => {
    for (;;) {
      const i = next++
      const r = await log.append(crashBatch(i))
      process.stdout.write(`ack ${i} ${r.baseOffset}\n`)
    }
  }
  process.stdout.write('ready\n')
  await Promise.all(Array.from({ length: 8 }, writer))
}

if (require.main === module) void main()
