// The one logger factory. Library code logs through child loggers that carry `module` (and
// connector/task where they apply), never through console.
import pino from 'pino'

export type Logger = pino.Logger

const level = process.env.GODWIT_LOG_LEVEL ?? 'info'
const file = process.env.GODWIT_LOG_FILE

// Logs go to stderr so that a command's own output (the demo banner, `translate-offsets`) stays
// clean on stdout; GODWIT_LOG_FILE sends them to a file instead (appended).
export const rootLogger: Logger = pino({ level, base: { pid: process.pid } }, file === undefined || file === '' ? pino.destination(2) : pino.destination({ dest: file, append: true, mkdir: true }))

export function createLogger(module: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ module, ...bindings })
}
