import type { Command } from './command'

export const command: Command = {
  summary: 'Run the embedded demo: two local clusters and a replication flow between them',
  usage: 'Usage: godwit start [--data-dir DIR]',
  async run(): Promise<number> {
    process.stderr.write('godwit: this command is not built yet\n')
    return 1
  },
}
