// Offset commits through the group coordinator, each beside what it is built on, in one run:
//  1. in process: GroupCoordinator.commitOffsets over an in-memory offsets log, against
//     encoding the same records and appending them to that log directly (the coordinator's own
//     bookkeeping is the difference);
//  2. on the wire: OffsetCommit v7 requests to an embedded one-node broker (16 in flight on one
//     connection, each commit fsynced into __consumer_offsets), against appending the same
//     one-record batches to a compacted partition through the storage engine (16 in flight).
//   npx tsc -p . ; node dist/bench/group-coordinator.js     (COMMITS=20000 to change the count)
import * as net from 'node:net'
import * as os from 'node:os'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { GroupCoordinator, InMemoryOffsetLog, ManualClock } from '../core/group'
import { encodeOffsetKey, encodeOffsetValue } from '../core/group/offset-records'
import { LogManager } from '../core/log'
import { ApiKey } from '../core/protocol/api-keys'
import { decodeResponse, encodeRequest } from '../core/protocol/client-codec'
import { FrameDecoder } from '../core/protocol/frame'
import { encodeBatch } from '../core/protocol/records/record-codec'
import { startCluster } from '../core/server/embedded-cluster'

const COMMITS = Number(process.env.COMMITS ?? 20000)
const IN_FLIGHT = 16
const IN_PROCESS = 200_000

async function pool(n: number, inFlight: number, one: (i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < n) await one(next++) }))
  return performance.now() - t0
}

async function inProcess(): Promise<{ coordinator: number; baseline: number }> {
  const gc = new GroupCoordinator({ offsetLog: new InMemoryOffsetLog(), clock: new ManualClock() })
  await gc.load()
  const coordinatorMs = await pool(IN_PROCESS, 64, async (i) => {
    await gc.commitOffsets({ groupId: `g${i % 100}`, generationId: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: i % 12, committedOffset: i, committedMetadata: '' }] }] })
  })
  gc.close()
  const log = new InMemoryOffsetLog()
  const baselineMs = await pool(IN_PROCESS, 64, async (i) => {
    const now = Date.now()
    await log.append([{ key: encodeOffsetKey(`g${i % 100}`, 'orders', i % 12), value: encodeOffsetValue({ offset: i, leaderEpoch: -1, metadata: '', commitTimestamp: now }) }])
  })
  return { coordinator: IN_PROCESS / (coordinatorMs / 1000), baseline: IN_PROCESS / (baselineMs / 1000) }
}

/** OffsetCommit requests pipelined on one connection; resolves each on its response. */
async function wireCommits(hostPort: string, topic: string): Promise<number> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))]
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port }, () => resolve(s))
    s.once('error', reject)
  })
  const decoder = new FrameDecoder()
  const waiting = new Map<number, () => void>()
  socket.on('data', (chunk: Buffer) => {
    for (const f of decoder.push(chunk)) {
      const res = decodeResponse(ApiKey.OffsetCommit, 7, Buffer.from(f))
      if (res.body.topics[0].partitions[0].errorCode !== 0) throw new Error(`commit failed: ${res.body.topics[0].partitions[0].errorCode}`)
      waiting.get(res.correlationId)?.()
      waiting.delete(res.correlationId)
    }
  })
  const ms = await pool(COMMITS, IN_FLIGHT, (i) => new Promise<void>((resolve) => {
    const correlationId = i + 1
    waiting.set(correlationId, resolve)
    socket.write(encodeRequest({ apiKey: ApiKey.OffsetCommit, apiVersion: 7, correlationId, clientId: 'bench' }, {
      groupId: 'bench-group', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: i, committedLeaderEpoch: -1, committedMetadata: '' }] }],
    }))
  }))
  socket.destroy()
  return COMMITS / (ms / 1000)
}

async function storageBaseline(dir: string): Promise<number> {
  const logs = await LogManager.open({ dataDir: dir })
  await logs.createTopic('offsets-baseline', 1, { 'cleanup.policy': 'compact' })
  const partition = logs.partition('offsets-baseline', 0)!
  const ms = await pool(COMMITS, IN_FLIGHT, async (i) => {
    const now = Date.now()
    const batch = encodeBatch({ records: [{ key: encodeOffsetKey('bench-group', 'orders', 0), value: encodeOffsetValue({ offset: i, leaderEpoch: -1, metadata: '', commitTimestamp: now }) }], baseTimestamp: now })
    await partition.append(batch, { requireDurable: true })
  })
  await logs.close()
  return COMMITS / (ms / 1000)
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-group-'))
  try {
    const local = await inProcess()
    const baseline = await storageBaseline(path.join(dir, 'storage'))
    const cluster = await startCluster({ dataDir: path.join(dir, 'broker'), nodes: 1 })
    let wire: number
    try {
      const logs = cluster.state.logs
      await logs.createTopic('orders', 1)
      wire = await wireCommits(cluster.bootstrapServers[0], 'orders')
    } finally {
      await cluster.stop()
    }
    const row = (what: string, rate: number, base: number) => `| ${what} | ${Math.round(rate)} | ${(rate / base).toFixed(2)} |`
    console.log('| what | commits/s | ratio to its baseline |')
    console.log('| --- | ---: | ---: |')
    console.log(row('baseline: encode + append to in-memory offsets log', local.baseline, local.baseline))
    console.log(row('GroupCoordinator.commitOffsets, in-memory log (64 in flight)', local.coordinator, local.baseline))
    console.log(row('baseline: storage engine append, compacted partition, fsync (16 in flight)', baseline, baseline))
    console.log(row('OffsetCommit v7 over TCP to the broker (16 in flight)', wire, baseline))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
