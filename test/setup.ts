// Loaded by mocha before any spec: keep library logs quiet unless asked for.
import * as os from 'node:os'
import * as path from 'node:path'

process.env.GODWIT_LOG_LEVEL ??= 'warn'

// The warnings that tests provoke on purpose (a poison record, a killed worker, Redis gone) go to
// a file rather than between the test names; set GODWIT_LOG_FILE to choose it. The variable is
// removed once the logger has read it, so child processes the tests start keep logging to
// stderr, which some tests read.
const logFile = process.env.GODWIT_LOG_FILE ?? path.join(os.tmpdir(), `godwit-test-${process.pid}.log`)
process.env.GODWIT_LOG_FILE = logFile
require('../config/logger')
delete process.env.GODWIT_LOG_FILE
process.stdout.write(`  (in-process logs at level ${process.env.GODWIT_LOG_LEVEL} and above: ${logFile})\n`)
