// Producer ids for InitProducerId, unique across restarts: ids are taken in blocks and the end of
// the current block is written (and fsynced) before any id from it is handed out, the way Kafka's
// controller hands brokers blocks. A crash can skip ids, never reuse one.
import * as fs from 'node:fs'
import * as path from 'node:path'

const BLOCK = 1000
const FILE = 'godwit-producer-ids'

export class ProducerIdAllocator {
  private next = 0
  private blockEnd = 0

  constructor(private readonly dir: string) {}

  allocate(): number {
    if (this.next >= this.blockEnd) this.claimBlock()
    return this.next++
  }

  private claimBlock(): void {
    const file = path.join(this.dir, FILE)
    let start = 0
    try {
      const text = fs.readFileSync(file, 'utf8').trim()
      if (/^\d+$/.test(text)) start = Number(text)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    start = Math.max(start, this.blockEnd)
    const tmp = `${file}.tmp`
    const fd = fs.openSync(tmp, 'w')
    try {
      fs.writeSync(fd, String(start + BLOCK))
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
    this.next = start
    this.blockEnd = start + BLOCK
  }
}
