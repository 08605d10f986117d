// `godwit mirror mm2.properties [--clusters A,B]`: MM2's dedicated mode (connect-mirror-maker.sh).
import * as fs from 'node:fs'
import { parseArgs } from './args'
import type { Command } from '../../config/command'
import { UsageError } from '../../config'
import { startMirror } from '../driver'

const usage = `Usage: godwit mirror mm2.properties [--clusters A,B]

Runs MirrorMaker 2 replication as configured in an mm2.properties file (MM2's own format:
clusters, <alias>.bootstrap.servers, <source>-><target>.enabled, ...).
  --clusters A,B   only drive the flows whose target is one of these clusters`

export const command: Command = {
  summary: 'Run MirrorMaker 2-style replication from an mm2.properties file',
  usage,
  async run(argv: string[]): Promise<number> {
    const { positional, flags } = parseArgs(argv, ['clusters'])
    if (positional.length !== 1) throw new UsageError(`expected one mm2.properties file\n\n${usage}`)
    let text: string
    try { text = fs.readFileSync(positional[0], 'utf8') } catch (e) { throw new UsageError(`cannot read ${positional[0]}: ${(e as Error).message}`) }
    const clusters = flags.clusters?.split(',').map((s) => s.trim()).filter((s) => s !== '')
    const mirror = await startMirror(text, clusters === undefined ? {} : { clusters })
    for (const w of mirror.warnings) process.stderr.write(`godwit mirror: warning: ${w}\n`)
    process.stdout.write(`godwit mirror: running ${mirror.flows.length === 0 ? 'no flows' : mirror.flows.join(', ')}\n`)
    await new Promise<void>((resolve) => {
      const done = (): void => { process.off('SIGINT', done); process.off('SIGTERM', done); resolve() }
      process.on('SIGINT', done)
      process.on('SIGTERM', done)
    })
    await mirror.stop()
    process.stdout.write('godwit mirror: stopped\n')
    return 0
  },
}
