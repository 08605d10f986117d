// A Lua script run by its SHA (EVALSHA), sent in full only when Redis does not know it yet
// (first use, or after a restart emptied the script cache). Saves re-sending the text on every
// heartbeat and every fenced commit.
import { createHash } from 'node:crypto'
import type Redis from 'ioredis'

export class LuaScript {
  readonly sha: string

  constructor(readonly source: string, readonly numKeys: number) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }

  async run(redis: Redis, ...keysAndArgs: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, this.numKeys, ...keysAndArgs)
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e
      return redis.eval(this.source, this.numKeys, ...keysAndArgs)
    }
  }
}
