// `godwit connect-distributed worker.properties [connector.properties ...]`: Kafka Connect's
// distributed mode, coordinated through Redis. Runs until SIGINT/SIGTERM, then stops its tasks
// gracefully (offsets committed), releases their leases and leaves the group.
import type { Command } from '../../config/command'
import { readWorkerFiles, untilSignal } from './worker-cli'

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
    const { workerProps, connectors } = readWorkerFiles('connect-distributed', argv)
    const { startDistributed } = require('../distributed/distributed-mode') as typeof import('../distributed/distributed-mode')
    const running = await startDistributed({ workerProps, connectors })
    process.stdout.write(`connect-distributed: worker ${running.worker.id} of group ${running.coordination['group.id']}, REST API on ${running.url}\n`)
    await untilSignal()
    await running.stop()
    return 0
  },
}
