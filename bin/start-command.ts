// `godwit start`: the embedded default. Starts an embedded cluster for every cluster an
// mm2.properties file names (on the host:port its bootstrap.servers give, data kept under
// --data-dir/<alias>), then runs the file's replication flows, until SIGINT/SIGTERM.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Command } from '../config/command'
import { UsageError, parseProperties } from '../config'
import { startCluster, type EmbeddedCluster } from '../core/server/embedded-cluster'
import { startMirror, type MirrorHandle } from '../mirror/driver/start-mirror'
import { describeDemo } from './start-banner'

const DEFAULT_FILE = path.resolve(__dirname, '..', '..', 'examples', 'embedded-mm2.properties')

const USAGE = `Usage: godwit start [mm2.properties] [--data-dir DIR]

Starts a local embedded cluster for every cluster the file names (default: two clusters,
primary on 127.0.0.1:9092 and backup on 127.0.0.1:9192, from examples/embedded-mm2.properties)
and replicates between them as the file says. Data is kept in --data-dir (default ./godwit-data),
so a restart carries on where it stopped. Stops cleanly on Ctrl-C.`

interface StartArgs { file: string; dataDir: string }

function parseArgs(argv: string[]): StartArgs {
  let file = DEFAULT_FILE
  let dataDir = path.resolve('godwit-data')
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--data-dir') {
      const v = argv[++i]
      if (v === undefined) throw new UsageError(`--data-dir needs a directory\n\n${USAGE}`)
      dataDir = path.resolve(v)
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}\n\n${USAGE}`)
    else file = path.resolve(arg)
  }
  return { file, dataDir }
}

/** host:port of each cluster alias, from `<alias>.bootstrap.servers` (first server only). */
export function clusterEndpoints(props: Map<string, string>): { alias: string; host: string; port: number }[] {
  const aliases = (props.get('clusters') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (aliases.length === 0) throw new UsageError('the file names no clusters (clusters = A, B)')
  return aliases.map((alias) => {
    const servers = props.get(`${alias}.bootstrap.servers`)
    const first = servers?.split(',')[0]?.trim()
    const m = first === undefined ? null : /^(.+):(\d+)$/.exec(first)
    if (m === null) throw new UsageError(`${alias}.bootstrap.servers must be host:port for an embedded cluster, got "${servers ?? ''}"`)
    return { alias, host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) }
  })
}

export const command: Command = {
  summary: 'Run the embedded demo: two local clusters and a replication flow between them',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv)
    const text = fs.readFileSync(args.file, 'utf8')
    const endpoints = clusterEndpoints(parseProperties(text))
    const clusters: EmbeddedCluster[] = []
    let mirror: MirrorHandle | undefined
    const stop = async (): Promise<void> => {
      await mirror?.stop()
      for (const c of clusters.reverse()) await c.stop()
    }
    try {
      for (const e of endpoints) {
        clusters.push(await startCluster({ dataDir: path.join(args.dataDir, e.alias), host: e.host, ports: [e.port] }))
      }
      mirror = await startMirror(text)
    } catch (err) {
      await stop()
      throw err
    }
    process.stdout.write(describeDemo(endpoints, mirror.flows, args.dataDir))
    await new Promise<void>((resolve) => {
      const onSignal = (): void => { process.stdout.write('\nStopping...\n'); stop().then(resolve, resolve) }
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
    })
    return 0
  },
}
