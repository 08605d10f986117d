#!/usr/bin/env node
// The `godwit` command: a table of subcommands, each module loaded only when used (require keeps
// start-up from loading every layer).
import type { Command } from '../config/command'
import { GodwitError } from '../config'

const commands: Record<string, () => Command> = {
  'start': () => (require('./start-command') as typeof import('./start-command')).command,
  'broker': () => (require('../core/cli/broker-command') as typeof import('../core/cli/broker-command')).command,
  'connect-standalone': () => (require('../connectors/cli/connect-standalone-command') as typeof import('../connectors/cli/connect-standalone-command')).command,
  'connect-distributed': () => (require('../connectors/cli/connect-distributed-command') as typeof import('../connectors/cli/connect-distributed-command')).command,
  'mirror': () => (require('../mirror/cli/mirror-command') as typeof import('../mirror/cli/mirror-command')).command,
  'translate-offsets': () => (require('../mirror/cli/translate-offsets-command') as typeof import('../mirror/cli/translate-offsets-command')).command,
}

async function help(): Promise<string> {
  const lines = ['Usage: godwit <command> [options]', '', 'Commands:']
  for (const [name, load] of Object.entries(commands)) lines.push(`  ${name.padEnd(22)}${load().summary}`)
  lines.push('', 'Run `godwit <command> --help` for a command\'s options.')
  return lines.join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n')
    return name === undefined ? 1 : 0
  }
  const load = commands[name]
  if (load === undefined) {
    process.stderr.write(`godwit: unknown command '${name}'.\n\n${await help()}\n`)
    return 2
  }
  const command = load()
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n')
    return 0
  }
  return command.run(rest)
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (err: unknown) => {
    // Known errors print their message only; anything else is a bug and shows its stack.
    if (err instanceof GodwitError) process.stderr.write(`godwit: ${err.message}\n`)
    else process.stderr.write(`godwit: unexpected failure: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exitCode = 1
  },
)
