import type { Command } from '../../bin/command'

export const command: Command = {
  summary: 'Run a standalone connector worker, as Kafka Connect does',
  usage: 'Usage: godwit connect-standalone worker.properties [connector.properties ...]',
  async run(): Promise<number> {
    process.stderr.write('godwit: this command is not built yet\n')
    return 1
  },
}
