// `godwit translate-offsets --group G --source A --target B [--config mm2.properties]`: the offsets
// group G resumes from on cluster B, from the checkpoints MM2 wrote there (RemoteClusterUtils).
import * as fs from 'node:fs'
import { Kafka } from 'kafkajs'
import { parseArgs } from './args'
import type { Command } from '../../config/command'
import { UsageError } from '../../config'
import { MirrorClient } from '../client'
import { kafkajsConfig, parseMm2Config } from '../config'
import { OffsetTranslationError } from '../errors'
import { createReplicationPolicy } from '../policy'

const usage = `Usage: godwit translate-offsets --group G --source A --target B [--config mm2.properties] [--bootstrap-server host:port]

Prints the offsets consumer group G resumes from on cluster B after consuming on cluster A, read
from the checkpoints MirrorMaker 2 writes to B (A.checkpoints.internal). The target's address and
the replication policy come from --config (mm2.properties) or --bootstrap-server.
  --json   print JSON instead of a table`

export const command: Command = {
  summary: 'Show the offsets a consumer group resumes from on another cluster',
  usage,
  async run(argv: string[]): Promise<number> {
    const json = argv.includes('--json')
    const { flags } = parseArgs(argv.filter((a) => a !== '--json'), ['group', 'source', 'target', 'config', 'bootstrap-server'])
    for (const f of ['group', 'source', 'target']) if (flags[f] === undefined) throw new UsageError(`--${f} is required\n\n${usage}`)
    let clientProps: Record<string, string> = {}
    let policyClass = 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy'
    let separator = '.'
    if (flags.config !== undefined) {
      const config = parseMm2Config(fs.readFileSync(flags.config, 'utf8'))
      const target = config.clusters.find((c) => c.alias === flags.target)
      if (target === undefined) throw new UsageError(`--target ${flags.target} is not in the clusters of ${flags.config} (${config.clusters.map((c) => c.alias).join(', ')})`)
      clientProps = target.clientProps
      const flow = config.flows.find((f) => f.source === flags.source && f.target === flags.target)
      if (flow !== undefined) { policyClass = flow.config['replication.policy.class']; separator = flow.config['replication.policy.separator'] }
    }
    if (flags['bootstrap-server'] !== undefined) clientProps = { ...clientProps, 'bootstrap.servers': flags['bootstrap-server'] }
    if (clientProps['bootstrap.servers'] === undefined) throw new UsageError('give --config mm2.properties or --bootstrap-server for the target cluster')
    const kafka = new Kafka(kafkajsConfig(clientProps, 'godwit-translate-offsets'))
    const client = new MirrorClient(kafka, createReplicationPolicy(policyClass, { separator, sourceClusterAlias: flags.source }))
    let offsets
    try {
      offsets = await client.remoteConsumerOffsets(flags.group, flags.source)
    } catch (e) {
      throw new OffsetTranslationError(`cannot read checkpoints from ${flags.target} (${clientProps['bootstrap.servers']}): ${(e as Error).message}`, { cause: e })
    }
    if (offsets.length === 0) {
      throw new OffsetTranslationError(`no checkpoints for group ${flags.group} from ${flags.source} on ${flags.target}: is the ${flags.source}->${flags.target} flow running with emit.checkpoints.enabled, and has the group committed offsets on ${flags.source}?`)
    }
    if (json) process.stdout.write(JSON.stringify(offsets) + '\n')
    else {
      process.stdout.write(`${'TOPIC'.padEnd(40)} ${'PARTITION'.padStart(9)} ${'OFFSET'.padStart(12)}\n`)
      for (const o of offsets) process.stdout.write(`${o.topic.padEnd(40)} ${String(o.partition).padStart(9)} ${String(o.offset).padStart(12)}\n`)
    }
    return 0
  },
}
