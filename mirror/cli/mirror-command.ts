// `godwit mirror mm2.properties [--clusters A,B] [--distributed [--redis-url URL] [--group-id ID]]`:
// MM2's dedicated mode (connect-mirror-maker.sh), or, with --distributed, one worker of a group
// that shares the file's flows through Redis (connectors/distributed).
import * as fs from 'node:fs'
import { parseArgs } from './args'
import type { Command } from '../../config/command'
import { UsageError } from '../../config'
import { startDistributedMirror, startMirror } from '../driver'

const usage = `Usage: godwit mirror mm2.properties [--clusters A,B] [--distributed [--redis-url URL] [--group-id ID]]

Runs MirrorMaker 2 replication as configured in an mm2.properties file (MM2's own format:
clusters, <alias>.bootstrap.servers, <source>-><target>.enabled, ...).
  --clusters A,B     only drive the flows whose target is one of these clusters
  --distributed      run as one worker of a group (group.id, default godwit-mm2) that shares the
                     flows' connectors and tasks through Redis; every worker serves Connect's REST
                     API (listeners / rest.port, default 8083). Coordination keys (redis.url,
                     heartbeat.interval.ms, session.timeout.ms, ...) are read from the file.
  --redis-url URL    Redis of the group (overrides redis.url in the file)
  --group-id ID      the group's id (overrides group.id in the file)`

const DISTRIBUTED = '--distributed'

export const command: Command = {
  summary: 'Run MirrorMaker 2-style replication from an mm2.properties file',
  usage,
  async run(argv: string[]): Promise<number> {
    const distributed = argv.includes(DISTRIBUTED)
    const { positional, flags } = parseArgs(argv.filter((a) => a !== DISTRIBUTED), ['clusters', 'redis-url', 'group-id'])
    if (positional.length !== 1) throw new UsageError(`expected one mm2.properties file\n\n${usage}`)
    if (!distributed && (flags['redis-url'] !== undefined || flags['group-id'] !== undefined)) {
      throw new UsageError(`--redis-url and --group-id only apply with --distributed\n\n${usage}`)
    }
    let text: string
    try { text = fs.readFileSync(positional[0], 'utf8') } catch (e) { throw new UsageError(`cannot read ${positional[0]}: ${(e as Error).message}`) }
    const clusters = flags.clusters?.split(',').map((s) => s.trim()).filter((s) => s !== '')
    let stop: () => Promise<void>
    if (distributed) {
      const mirror = await startDistributedMirror(text, {
        ...(clusters === undefined ? {} : { clusters }),
        ...(flags['redis-url'] === undefined ? {} : { redisUrl: flags['redis-url'] }),
        ...(flags['group-id'] === undefined ? {} : { groupId: flags['group-id'] }),
      })
      for (const w of mirror.warnings) process.stderr.write(`godwit mirror: warning: ${w}\n`)
      process.stdout.write(`godwit mirror: distributed worker ${mirror.distributed.worker.id} of group ${mirror.groupId} running ${mirror.flows.join(', ')}; REST API at ${mirror.url}\n`)
      stop = mirror.stop
    } else {
      const mirror = await startMirror(text, clusters === undefined ? {} : { clusters })
      for (const w of mirror.warnings) process.stderr.write(`godwit mirror: warning: ${w}\n`)
      process.stdout.write(`godwit mirror: running ${mirror.flows.length === 0 ? 'no flows' : mirror.flows.join(', ')}\n`)
      stop = mirror.stop
    }
    await new Promise<void>((resolve) => {
      const done = (): void => { process.off('SIGINT', done); process.off('SIGTERM', done); resolve() }
      process.on('SIGINT', done)
      process.on('SIGTERM', done)
    })
    await stop()
    process.stdout.write('godwit mirror: stopped\n')
    return 0
  },
}
