import type { Command } from '../../bin/command'

export const command: Command = {
  summary: 'Run a distributed connector worker coordinated through Redis',
  usage: 'Usage: godwit connect-distributed worker.properties',
  async run(): Promise<number> {
    process.stderr.write('godwit: this command is not built yet\n')
    return 1
  },
}
