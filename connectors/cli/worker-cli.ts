// What `godwit connect-standalone` and `godwit connect-distributed` share: reading the worker and
// connector .properties files named on the command line, and running until SIGINT/SIGTERM.
import * as fs from 'node:fs'
import { UsageError, parseProperties, propertiesToObject } from '../../config'

export function readProps(file: string): Record<string, string> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`)
  }
  return propertiesToObject(parseProperties(text))
}

/** worker.properties and connector files from argv; each connector file must have name=. */
export function readWorkerFiles(command: string, argv: string[]): { workerProps: Record<string, string>; connectors: Array<Record<string, string>> } {
  const files = argv.filter((a) => !a.startsWith('--'))
  if (files.length === 0) throw new UsageError(`${command} needs a worker.properties file (see --help)`)
  const workerProps = readProps(files[0])
  const connectors = files.slice(1).map((file) => {
    const props = readProps(file)
    if (props.name === undefined || props.name === '') throw new UsageError(`${file} has no name=; every connector file needs name=<connector name> and connector.class=`)
    return props
  })
  return { workerProps, connectors }
}

/** Resolves on the first SIGINT or SIGTERM (then the caller stops its tasks gracefully). */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      resolve()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
