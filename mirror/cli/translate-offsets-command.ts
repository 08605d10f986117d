import type { Command } from '../../bin/command'

export const command: Command = {
  summary: 'Show the offsets a consumer group resumes from on another cluster',
  usage: 'Usage: godwit translate-offsets --group G --source A --target B [--config mm2.properties]',
  async run(): Promise<number> {
    process.stderr.write('godwit: this command is not built yet\n')
    return 1
  },
}
