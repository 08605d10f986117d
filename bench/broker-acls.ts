// What ACL enforcement costs the broker: small Produce (acks=1, one 100-byte record) and Metadata
// (one topic) requests, pipelined over one connection, against a cluster without an authorizer
// (the baseline, same run), with one whose principal is a super user, and with one holding 1,000
// topic ACLs (literal and prefixed, for many principals) where the client's rights come from an
// ACL. Small requests show the per-request cost; large batches would hide it.
// Run: npx tsc -p . && node dist/bench/broker-acls.js   (about 30 s)
process.env.GODWIT_LOG_LEVEL ??= 'warn'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { ApiKey } from '../core/protocol/api-keys'
import { decodeResponse, encodeRequest } from '../core/protocol/client-codec'
import { FrameDecoder } from '../core/protocol/frame'
import { encodeBatch } from '../core/protocol/records/record-codec'
import { ErrorCode } from '../core/protocol/error-codes'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'
import { AclOperation as Op, AclPermissionType as Perm, PatternType as Pat, ResourceType as Res, type AclBinding } from '../core/server/acls/acl-types'

const REQUESTS = Number(process.env.REQUESTS ?? 20_000)
const IN_FLIGHT = 64
const TOPIC = 'bench-acls'
const AUTHORIZER = 'kafka.security.authorizer.AclAuthorizer'

interface Rate { perSecond: number; cpuMicros: number }

/**
 * Sends `count` requests built by `make`, IN_FLIGHT at a time. Returns requests per second and
 * this process's CPU time per request (broker and client both run here): on a shared machine the
 * CPU time is the steadier figure, as it does not count time spent waiting for other processes.
 */
async function pipelined(hostPort: string, count: number, make: (id: number) => Buffer, check: (frame: Buffer) => void): Promise<Rate> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))]
  const socket = net.connect({ host, port })
  await new Promise<void>((r, j) => { socket.once('connect', r); socket.once('error', j) })
  socket.setNoDelay(true)
  const decoder = new FrameDecoder()
  let sent = 0
  let done = 0
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  await new Promise<void>((resolve, reject) => {
    const send = (): void => { while (sent < count && sent - done < IN_FLIGHT) socket.write(make(sent++)) }
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const f of decoder.push(chunk)) { check(f); done++ }
      } catch (err) { reject(err); return }
      if (done === count) resolve()
      else send()
    })
    socket.on('error', reject)
    send()
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const used = process.cpuUsage(cpu)
  socket.destroy()
  return { perSecond: count / seconds, cpuMicros: (used.user + used.system) / count }
}

async function measure(label: string, config: Record<string, string>, acls: AclBinding[]): Promise<{ produce: Rate; metadata: Rate }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'godwit-bench-acls-'))
  let cluster: EmbeddedCluster | undefined
  try {
    // fsync per append would dominate small produces; this measures request handling.
    cluster = await startCluster({ dataDir: dir, nodes: 1, config: { 'log.flush.interval.messages': '1000000000', ...config } })
    if (acls.length > 0) cluster.state.authorizer!.store.create(acls)
    await cluster.state.logs.createTopic(TOPIC, 1)
    const server = cluster.bootstrapServers[0]
    const records = encodeBatch({ records: [{ value: Buffer.alloc(100, 1) }] })
    const produce = await pipelined(server, REQUESTS,
      (id) => encodeRequest({ apiKey: ApiKey.Produce, apiVersion: 7, correlationId: id, clientId: 'bench' }, { transactionalId: null, acks: 1, timeoutMs: 30000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }] }),
      (f) => { const code = decodeResponse(ApiKey.Produce, 7, f).body.responses[0].partitionResponses[0].errorCode; if (code !== ErrorCode.NONE) throw new Error(`${label}: produce error ${code}`) })
    const metadata = await pipelined(server, REQUESTS,
      (id) => encodeRequest({ apiKey: ApiKey.Metadata, apiVersion: 6, correlationId: id, clientId: 'bench' }, { topics: [{ name: TOPIC }], allowAutoTopicCreation: false }),
      (f) => { const code = decodeResponse(ApiKey.Metadata, 6, f).body.topics[0].errorCode; if (code !== ErrorCode.NONE) throw new Error(`${label}: metadata error ${code}`) })
    const show = (r: Rate): string => `${r.perSecond.toFixed(0).padStart(6)} req/s ${r.cpuMicros.toFixed(1).padStart(5)} us CPU/req`
    console.log(`${label.padEnd(58)} produce ${show(produce)}   metadata ${show(metadata)}`)
    return { produce, metadata }
  } finally {
    await cluster?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function manyAcls(): AclBinding[] {
  const out: AclBinding[] = []
  const base = { resourceType: Res.TOPIC, host: '*', permissionType: Perm.ALLOW as const }
  for (let i = 0; i < 998; i++) {
    out.push({ ...base, resourceName: i % 2 === 0 ? `team-${i}-events` : `team-${i}-`, patternType: i % 2 === 0 ? Pat.LITERAL : Pat.PREFIXED, principal: `User:svc-${i}`, operation: i % 3 === 0 ? Op.READ : Op.WRITE })
  }
  // The client's own rights: WRITE (implies DESCRIBE) on the bench topic's prefix, and DESCRIBE on it.
  out.push({ ...base, resourceName: 'bench-', patternType: Pat.PREFIXED, principal: 'User:ANONYMOUS', operation: Op.WRITE })
  out.push({ ...base, resourceName: TOPIC, patternType: Pat.LITERAL, principal: 'User:ANONYMOUS', operation: Op.DESCRIBE })
  return out
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]

async function main(): Promise<void> {
  console.log(`${REQUESTS} requests per figure, ${IN_FLIGHT} in flight, one connection, one logical broker; 3 rounds after a warm-up, medians`)
  const configs: [string, Record<string, string>, AclBinding[]][] = [
    ['no authorizer (baseline)', {}, []],
    ['authorizer, client is a super user', { 'authorizer.class.name': AUTHORIZER, 'super.users': 'User:ANONYMOUS' }, []],
    ['authorizer, 1,000 topic ACLs, rights from an ACL', { 'authorizer.class.name': AUTHORIZER }, manyAcls()],
  ]
  await measure('warm-up (not counted)', {}, [])
  const runs = configs.map(() => ({ produce: [] as Rate[], metadata: [] as Rate[] }))
  for (let round = 0; round < 3; round++) {
    for (const [i, [label, config, acls]] of configs.entries()) {
      const r = await measure(`${label}, round ${round + 1}`, config, acls)
      runs[i].produce.push(r.produce)
      runs[i].metadata.push(r.metadata)
    }
  }
  const med = (rs: Rate[]): Rate => ({ perSecond: median(rs.map((r) => r.perSecond)), cpuMicros: median(rs.map((r) => r.cpuMicros)) })
  const meds = runs.map((r) => ({ produce: med(r.produce), metadata: med(r.metadata) }))
  const base = meds[0]
  const show = (r: Rate, b: Rate): string =>
    `${r.perSecond.toFixed(0).padStart(6)} req/s (x${(r.perSecond / b.perSecond).toFixed(2)}) ${r.cpuMicros.toFixed(1).padStart(5)} us CPU/req (x${(r.cpuMicros / b.cpuMicros).toFixed(2)})`
  console.log('medians (ratios against the baseline):')
  for (const [i, m] of meds.entries()) console.log(`  ${configs[i][0].padEnd(50)} produce ${show(m.produce, base.produce)}   metadata ${show(m.metadata, base.metadata)}`)
}

main().catch((err) => { console.error(err); process.exit(1) })
