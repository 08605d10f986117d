import type { Command } from '../../bin/command'

export const command: Command = {
  summary: 'Run MirrorMaker 2-style replication from an mm2.properties file',
  usage: 'Usage: godwit mirror mm2.properties [--clusters A,B] [--distributed]',
  async run(): Promise<number> {
    process.stderr.write('godwit: this command is not built yet\n')
    return 1
  },
}
