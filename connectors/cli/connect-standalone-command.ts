// `godwit connect-standalone worker.properties [connector.properties ...]`: Kafka Connect's
// standalone mode. Runs until SIGINT/SIGTERM, then stops every task gracefully (offsets committed).
import type { Command } from '../../config/command'
import { readWorkerFiles, untilSignal } from './worker-cli'

export const command: Command = {
  summary: 'Run a standalone connector worker, as Kafka Connect does',
  usage: [
    'Usage: godwit connect-standalone worker.properties [connector.properties ...]',
    '',
    'worker.properties uses Kafka Connect\'s names: bootstrap.servers, offset.storage.file.filename,',
    'offset.flush.interval.ms, listeners (or rest.port), plugin.path. Each connector file has name=,',
    'connector.class= (e.g. FileStreamSource) and the connector\'s own keys. The REST API serves',
    'Kafka Connect\'s paths (GET /connectors, POST /connectors, ...).',
  ].join('\n'),
  async run(argv: string[]): Promise<number> {
    const { workerProps, connectors } = readWorkerFiles('connect-standalone', argv)
    const { startStandalone } = require('../standalone') as typeof import('../standalone')
    const running = await startStandalone({ workerProps, connectors })
    process.stdout.write(`connect-standalone: REST API on ${running.url}\n`)
    await untilSignal()
    await running.stop()
    return 0
  },
}
