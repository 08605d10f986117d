// The one logger factory. Library code logs through child loggers that carry `module` (and
// connector/task where they apply), never through console.
import pino from 'pino'

export type Logger = pino.Logger

const level = process.env.GODWIT_LOG_LEVEL ?? 'info'

// Logs go to stderr so that a command's own output (the demo banner, `translate-offsets`) stays
// clean on stdout.
export const rootLogger: Logger = pino({ level, base: { pid: process.pid } }, pino.destination(2))

export function createLogger(module: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ module, ...bindings })
}
