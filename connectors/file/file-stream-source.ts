// FileStreamSource (Connect's org.apache.kafka.connect.file.FileStreamSourceConnector): each line
// of a file becomes a record (value = the line's bytes without its terminator, key null). The
// source partition is {filename}, the offset {position} = byte position after the line, so a
// restarted task continues exactly after the last committed line. A trailing partial line waits
// for its newline.
import * as fs from 'node:fs'
import { atLeast, defineConfig, nonEmpty } from '../../config'
import { SourceConnector, SourceTask, type ConnectorProps, type SourceRecord } from '../api'

export const FileStreamSourceConfigDef = defineConfig('FileStreamSource connector', {
  'file': { type: 'string', required: true, validate: nonEmpty, doc: 'The file to read, line by line.', importance: 'high' },
  'topic': { type: 'string', required: true, validate: nonEmpty, doc: 'The topic to write lines to.', importance: 'high' },
  'batch.size': { type: 'int', default: 2000, validate: atLeast(1), doc: 'Maximum lines returned by one poll.' },
})

export class FileStreamSourceConnector extends SourceConnector {
  private props: ConnectorProps = {}
  config() { return FileStreamSourceConfigDef }
  start(props: ConnectorProps): void { this.props = { ...props } }
  taskClass() { return FileStreamSourceTask }
  /** One task: a file is read by one reader. */
  taskConfigs(): ConnectorProps[] { return [{ ...this.props }] }
  stop(): void {}
}

const CHUNK = 1024 * 1024
const IDLE_WAIT_MS = 50
const MAX_IDLE_MS = 1000

export class FileStreamSourceTask extends SourceTask {
  private filename = ''
  private topic = ''
  private batchSize = 2000
  private fd: number | undefined
  /** Byte position of the first byte in `pending`. */
  private position = 0
  private pending = Buffer.alloc(0)
  private stopped = false

  async start(props: ConnectorProps): Promise<void> {
    const cfg = FileStreamSourceConfigDef.parse(props, { allowUnknown: true })
    this.filename = cfg.file
    this.topic = cfg.topic
    this.batchSize = cfg['batch.size']
    const committed = await this.context.offsetStorageReader.offset({ filename: this.filename })
    const pos = committed?.position
    this.position = typeof pos === 'number' && pos >= 0 ? pos : 0
  }

  async poll(): Promise<SourceRecord[] | null> {
    const deadline = Date.now() + MAX_IDLE_MS
    while (!this.stopped) {
      const records = this.takeLines()
      if (records.length > 0) return records
      if (!(await this.readMore())) {
        if (Date.now() >= deadline) return null
        await new Promise((r) => setTimeout(r, IDLE_WAIT_MS))
      }
    }
    return null
  }

  /** Reads the next chunk after what is pending; false when the file has nothing new (or is absent). */
  private async readMore(): Promise<boolean> {
    if (this.fd === undefined) {
      try {
        this.fd = fs.openSync(this.filename, 'r')
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false // waits for the file, as Connect does
        throw e
      }
    }
    const buf = Buffer.allocUnsafe(CHUNK)
    const n = await new Promise<number>((resolve, reject) => fs.read(this.fd!, buf, 0, CHUNK, this.position + this.pending.length, (err, bytes) => (err ? reject(err) : resolve(bytes))))
    if (n === 0) return false
    this.pending = this.pending.length === 0 ? buf.subarray(0, n) : Buffer.concat([this.pending, buf.subarray(0, n)])
    return true
  }

  private takeLines(): SourceRecord[] {
    const out: SourceRecord[] = []
    let start = 0
    const sourcePartition = { filename: this.filename }
    while (out.length < this.batchSize) {
      const nl = this.pending.indexOf(0x0a, start)
      if (nl < 0) break
      const end = nl > start && this.pending[nl - 1] === 0x0d ? nl - 1 : nl
      out.push({
        topic: this.topic,
        key: null,
        // A view, not a copy: every chunk is a fresh buffer that is never written again.
        value: this.pending.subarray(start, end),
        sourcePartition,
        sourceOffset: { position: this.position + nl + 1 },
      })
      start = nl + 1
    }
    if (start > 0) {
      this.position += start
      this.pending = this.pending.subarray(start)
    }
    return out
  }

  stop(): void {
    this.stopped = true
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}
