// Two brokers on one data directory: the second is refused before it touches anything.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { startCluster } from '../../../core/server/embedded-cluster'
import { makeTempDir } from '../../helpers/temp-dir'

describe('core/server data directory lock', () => {
  it('refuses a second cluster on the same directory and leaves meta.properties alone', async () => {
    const temp = makeTempDir('godwit-lock-')
    const first = await startCluster({ dataDir: temp.dir })
    try {
      const meta = path.join(temp.dir, 'meta.properties')
      const before = fs.readFileSync(meta, 'utf8')
      await assert.rejects(
        startCluster({ dataDir: temp.dir, config: { 'godwit.cluster.id': 'someone-else' } }),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, 'LOG_DIR_LOCKED')
          assert.match(err.message, new RegExp(`locked by process ${process.pid}`))
          return true
        },
      )
      assert.equal(fs.readFileSync(meta, 'utf8'), before)
    } finally {
      await first.stop()
      temp.cleanup()
    }
  })
})
