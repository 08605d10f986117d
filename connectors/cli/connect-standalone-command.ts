// `godwit connect-standalone worker.properties [connector.properties ...]`: Kafka Connect's
// standalone mode. Runs until SIGINT/SIGTERM, then stops every task gracefully (offsets committed).
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
    const files = argv.filter((a) => !a.startsWith('--'))
    if (files.length === 0) throw new UsageError('connect-standalone needs a worker.properties file (see --help)')
    const workerProps = readProps(files[0])
    const connectors = files.slice(1).map((file) => {
      const props = readProps(file)
      if (props.name === undefined || props.name === '') throw new UsageError(`${file} has no name=; every connector file needs name=<connector name> and connector.class=`)
      return props
    })
    const { startStandalone } = require('../standalone') as typeof import('../standalone')
    const running = await startStandalone({ workerProps, connectors })
    process.stdout.write(`connect-standalone: REST API on ${running.url}\n`)
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
