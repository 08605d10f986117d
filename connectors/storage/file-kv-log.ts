// A KeyValueLog in one JSON file (Connect standalone's offset.storage.file.filename). Each write
// rewrites the file through a temporary file and a rename, so a crash leaves either the old or the
// new content, never a torn file.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { KeyValueLog } from './kv-log'
import { OffsetStoreError } from '../errors'

export class FileKeyValueLog implements KeyValueLog {
  private data = new Map<string, string>()
  private chain: Promise<void> = Promise.resolve()

  constructor(readonly filename: string) {}

  async start(): Promise<Map<string, string>> {
    let text: string
    try {
      text = await fs.promises.readFile(this.filename, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
      throw new OffsetStoreError(`cannot read ${this.filename}: ${(e as Error).message}`, { cause: e })
    }
    try {
      const obj = JSON.parse(text) as Record<string, string>
      this.data = new Map(Object.entries(obj))
    } catch (e) {
      throw new OffsetStoreError(`${this.filename} is not a Godwit store file (invalid JSON); move it away to start afresh`, { cause: e })
    }
    return new Map(this.data)
  }

  write(entries: Array<[string, string | null]>): Promise<void> {
    for (const [k, v] of entries) {
      if (v === null) this.data.delete(k)
      else this.data.set(k, v)
    }
    const snapshot = JSON.stringify(Object.fromEntries(this.data))
    // Serialise writers so renames land in order.
    this.chain = this.chain.catch(() => undefined).then(() => this.persist(snapshot))
    return this.chain
  }

  private async persist(text: string): Promise<void> {
    const tmp = `${this.filename}.tmp`
    try {
      await fs.promises.mkdir(path.dirname(path.resolve(this.filename)), { recursive: true })
      const fh = await fs.promises.open(tmp, 'w')
      try {
        await fh.writeFile(text)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await fs.promises.rename(tmp, this.filename)
    } catch (e) {
      throw new OffsetStoreError(`cannot write ${this.filename}: ${(e as Error).message}`, { cause: e })
    }
  }

  async stop(): Promise<void> {
    await this.chain.catch(() => undefined)
  }
}
