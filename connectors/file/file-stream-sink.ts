// FileStreamSink (Connect's org.apache.kafka.connect.file.FileStreamSinkConnector): appends each
// record's value and a newline to a file; flush() makes the appended bytes durable (fsync) before
// the runtime commits their offsets.
import * as fs from 'node:fs'
import { defineConfig, nonEmpty } from '../../config'
import { SinkConnector, SinkTask, type ConnectorProps, type SinkRecord } from '../api'

export const FileStreamSinkConfigDef = defineConfig('FileStreamSink connector', {
  'file': { type: 'string', required: true, validate: nonEmpty, doc: 'The file to append record values to, one per line.', importance: 'high' },
})

export class FileStreamSinkConnector extends SinkConnector {
  private props: ConnectorProps = {}
  config() { return FileStreamSinkConfigDef }
  start(props: ConnectorProps): void { this.props = { ...props } }
  taskClass() { return FileStreamSinkTask }
  /** One task: one file has one writer. */
  taskConfigs(): ConnectorProps[] { return [{ ...this.props }] }
  stop(): void {}
}

const NEWLINE = Buffer.from('\n')
const NULL_LINE = Buffer.from('null')

export class FileStreamSinkTask extends SinkTask {
  private fd: number | undefined

  start(props: ConnectorProps): void {
    const cfg = FileStreamSinkConfigDef.parse(props, { allowUnknown: true })
    this.fd = fs.openSync(cfg.file, 'a')
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return
    const parts: Buffer[] = []
    for (const r of records) parts.push(r.value ?? NULL_LINE, NEWLINE)
    const data = Buffer.concat(parts)
    let off = 0
    while (off < data.length) off += fs.writeSync(this.fd!, data, off)
  }

  override flush(): void {
    if (this.fd !== undefined) fs.fsyncSync(this.fd)
  }

  stop(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}
