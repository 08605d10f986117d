// `godwit broker [server.properties] [--data-dir DIR] [--listeners URLS] [--nodes N] [--override k=v]...`
// Runs an embedded cluster until SIGTERM/SIGINT, then stops it cleanly (clean-shutdown marker).
// Prints one line per node (and listener), `godwit broker: node <id> listening on <host>:<port>`,
// followed by ` (<listener name>)` when the broker has another listener than PLAINTEXT, for people
// and scripts alike.
import * as fs from 'node:fs'
import type { Command } from '../../config/command'
import { ConfigError, UsageError, closestName, parseProperties, type RawConfig } from '../../config'
import { BrokerConfigDef } from '../server/broker-config'
import { startFromConfig } from '../server/embedded-cluster'
import { endpointFor } from '../server/cluster-state'
import { formatHostPort } from '../server/listeners'
import { splitListenerOverrides } from '../server/security/security-config'

const USAGE = `Usage: godwit broker [server.properties] [options]

Runs a Kafka-compatible cluster of one or more logical brokers in this process.

Options:
  --data-dir DIR        log directory (log.dirs)
  --listeners URLS      NAME://host:port[,...] (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL or a name in
                        listener.security.protocol.map): per name one per node, or one whose port is
                        incremented per node (0 = ephemeral)
  --nodes N             number of logical brokers (godwit.nodes)
  --override KEY=VALUE  any broker property; may be repeated

Stops cleanly on SIGTERM or SIGINT.`

export interface BrokerArgs {
  file?: string
  raw: RawConfig
}

/** Parses the command line into raw broker properties; throws UsageError / ConfigError naming the problem. */
export function parseBrokerArgs(argv: string[]): BrokerArgs {
  const cli: Record<string, string> = {}
  let file: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value\n\n${USAGE}`)
      return v
    }
    if (arg === '--data-dir') cli['log.dirs'] = value()
    else if (arg === '--listeners') cli['listeners'] = value()
    else if (arg === '--nodes') cli['godwit.nodes'] = value()
    else if (arg === '--override') {
      const kv = value()
      const eq = kv.indexOf('=')
      if (eq <= 0) throw new UsageError(`--override expects KEY=VALUE, got "${kv}"`)
      const key = kv.slice(0, eq).trim()
      if (!(key in BrokerConfigDef.keys) && !key.startsWith('listener.name.')) {
        const hint = closestName(key, Object.keys(BrokerConfigDef.keys))
        throw new ConfigError(`--override ${key}: unknown broker property${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`)
      }
      cli[key] = kv.slice(eq + 1)
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}\n\n${USAGE}`)
    else if (file === undefined) file = arg
    else throw new UsageError(`only one properties file may be given (got "${file}" and "${arg}")`)
  }
  const raw: RawConfig = {}
  if (file !== undefined) {
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (e) {
      throw new ConfigError(`cannot read broker properties file ${file}: ${(e as Error).message}`)
    }
    for (const [k, v] of parseProperties(text)) raw[k] = v
  }
  return { file, raw: { ...raw, ...cli } }
}

/** Status lines go out whole and synchronously, so they never interleave with log lines. */
function say(line: string): void {
  fs.writeSync(1, `godwit broker: ${line}\n`)
}

export const command: Command = {
  summary: 'Run an embedded Kafka-compatible cluster (one or more logical brokers)',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const { base: raw, overrides } = splitListenerOverrides(parseBrokerArgs(argv).raw)
    const ignored = Object.keys(raw).filter((k) => !(k in BrokerConfigDef.keys))
    for (const k of ignored) {
      const hint = closestName(k, Object.keys(BrokerConfigDef.keys))
      process.stderr.write(`godwit broker: ignoring unsupported property ${k}${hint === undefined ? '' : ` (did you mean '${hint}'?)`}\n`)
    }
    const config = BrokerConfigDef.parse(raw, { allowUnknown: true })
    const cluster = await startFromConfig(config, overrides)
    const named = cluster.listeners.length > 1 || cluster.listeners[0].name !== 'PLAINTEXT'
    for (const n of cluster.nodes) {
      for (const l of cluster.listeners) {
        const e = endpointFor(n, l.name)
        say(`node ${n.nodeId} listening on ${formatHostPort(e.host, e.port)}${named ? ` (${l.name})` : ''}`)
      }
    }
    say(`cluster ${cluster.clusterId} ready (bootstrap ${cluster.bootstrapServers.join(',')})`)
    return new Promise<number>((resolve) => {
      const stop = (signal: string): void => {
        say(`${signal} received, stopping (send it again to exit at once)`)
        // A second signal means "now": the data stays safe (appends are fsynced), only the marker is skipped.
        for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => process.exit(130))
        cluster.stop().then(() => {
          say('stopped')
          resolve(0)
        }, (err: unknown) => {
          process.stderr.write(`godwit broker: error while stopping: ${(err as Error).message}\n`)
          resolve(1)
        })
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
    })
  },
}
