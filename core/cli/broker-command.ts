import type { Command } from '../../bin/command'

export const command: Command = {
  summary: 'Run an embedded Kafka-compatible cluster (one or more logical brokers)',
  usage: 'Usage: godwit broker [server.properties] [--data-dir DIR] [--listeners URLS] [--nodes N]',
  async run(): Promise<number> {
    process.stderr.write('godwit: this command is not built yet\n')
    return 1
  },
}
