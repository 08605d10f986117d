// Child process for the data-directory lock test: opens a LogManager on argv[2], appends one
// batch, prints "ready <pid>" and then holds the directory until it is killed.
import { LogManager } from '../../../core/log'
import { encodeBatch } from '../../../core/protocol/records/record-codec'

async function main(): Promise<void> {
  const m = await LogManager.open({ dataDir: process.argv[2], retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
  await m.createTopic('held', 1)
  await m.partition('held', 0)!.append(encodeBatch({ records: [{ key: 'k', value: 'written by the holder', timestamp: 1_700_000_000_000 }] }))
  process.stdout.write(`ready ${process.pid}\n`)
  setInterval(() => undefined, 1 << 30)
}

if (require.main === module) void main()
