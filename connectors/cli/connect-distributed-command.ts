// `godwit connect-distributed worker.properties [connector.properties ...]`: Kafka Connect's
// distributed mode, coordinated through Redis. Runs until SIGINT/SIGTERM, then stops its tasks
// gracefully (offsets committed), releases their leases and leaves the group.
import * as fs from 'node:fs'
import type { Command } from '../../config/command'
import { UsageError, parseProperties, propertiesToObject } from '../../config'

function readProps(file: string): Record<string, string> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`)
  }
  return propertiesToObject(parseProperties(text))
}

export const command: Command = {
  summary: 'Run a distributed connector worker coordinated through Redis',
  usage: [
    'Usage: godwit connect-distributed worker.properties [connector.properties ...]',
    '',
    'worker.properties uses Kafka Connect\'s names (bootstrap.servers, group.id, listeners or rest.port,',
    'heartbeat.interval.ms, session.timeout.ms, plugin.path, offset.flush.interval.ms) plus redis.url',
    '(redis:// or rediss://), redis.password and the other keys in docs/config.md. Workers with the same',
    'group.id share connectors and tasks; every worker serves the REST API. Connector files given here',
    'are created (or updated) once the worker has joined.',
  ].join('\n'),
  async run(argv: string[]): Promise<number> {
    const files = argv.filter((a) => !a.startsWith('--'))
    if (files.length === 0) throw new UsageError('connect-distributed needs a worker.properties file (see --help)')
    const workerProps = readProps(files[0]!)
    const connectors = files.slice(1).map(readProps)
    const { startDistributed } = require('../distributed/distributed-mode') as typeof import('../distributed/distributed-mode')
    const running = await startDistributed({ workerProps, connectors })
    process.stdout.write(`connect-distributed: worker ${running.worker.id} of group ${running.coordination['group.id']}, REST API on ${running.url}\n`)
    await new Promise<void>((resolve) => {
      const onSignal = (): void => {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        resolve()
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    })
    await running.stop()
    return 0
  },
}
