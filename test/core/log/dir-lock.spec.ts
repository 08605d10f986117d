import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { GodwitError } from '../../../config/errors'
import { DataDirLockedError, LogManager } from '../../../core/log'
import { LOCK_FILE } from '../../../core/log/dir-lock'
import { decodeBatch } from '../../../core/protocol/records/record-codec'
import { makeTempDir } from '../../helpers/temp-dir'
import { waitFor } from '../../helpers/wait-for'
import { batch, FakeClock, openManager } from './log-helpers'

/** Starts lock-holder.js on dir and resolves with the child once it holds the lock. */
async function startHolder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'lock-holder.js'), dir], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  let exited = false
  child.on('exit', () => { exited = true })
  await waitFor('the holder process to open the data directory', () => {
    if (exited) throw new Error('lock-holder exited before it was ready')
    return out.includes(`ready ${child.pid}`)
  }, { timeoutMs: 20_000 })
  return child
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.on('exit', r))
  child.kill('SIGKILL')
  await exited
}

describe('core/log/dir-lock', () => {
  it('a second LogManager on the same directory fails at once, naming the directory and the holder pid; after close it opens', async () => {
    const tmp = makeTempDir()
    const clock = new FakeClock()
    try {
      const first = await openManager(tmp.dir, clock)
      await first.createTopic('t', 1)
      await first.partition('t', 0)!.append(batch(3))
      await assert.rejects(openManager(tmp.dir, clock), (e: Error) => {
        assert.ok(e instanceof DataDirLockedError)
        assert.equal((e as GodwitError).code, 'LOG_DIR_LOCKED')
        assert.ok(e.message.includes(tmp.dir), e.message)
        assert.ok(e.message.includes(`process ${process.pid}`), e.message)
        return true
      })
      // The refused open touched nothing: the first manager keeps working.
      assert.equal((await first.partition('t', 0)!.append(batch(2))).baseOffset, 3)
      await first.close()
      assert.ok(!fs.existsSync(path.join(tmp.dir, LOCK_FILE)), 'a clean close removes the lock')
      const second = await openManager(tmp.dir, clock)
      assert.equal(second.partition('t', 0)!.logEndOffset, 5)
      await second.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('another process holding the directory is refused with its pid; once it is killed (SIGKILL) its stale lock is taken over', async function () {
    this.timeout(60_000)
    const tmp = makeTempDir()
    let child: ChildProcess | undefined
    try {
      child = await startHolder(tmp.dir)
      const pid = child.pid!
      const t0 = Date.now()
      await assert.rejects(LogManager.open({ dataDir: tmp.dir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 }), (e: Error) => {
        assert.ok(e instanceof DataDirLockedError)
        assert.ok(e.message.includes(`data directory ${tmp.dir} is locked by process ${pid}`), e.message)
        return true
      })
      assert.ok(Date.now() - t0 < 1000, 'fails at once, without waiting')
      await kill9(child)
      child = undefined
      assert.equal(fs.readFileSync(path.join(tmp.dir, LOCK_FILE), 'utf8').split('\n')[0], String(pid), 'the dead holder left its lock behind')
      const m = await LogManager.open({ dataDir: tmp.dir, retentionCheckIntervalMs: 0, cleanerIntervalMs: 0 })
      try {
        assert.equal(fs.readFileSync(path.join(tmp.dir, LOCK_FILE), 'utf8').split('\n')[0], String(process.pid), 'the lock now names this process')
        const log = m.partition('held', 0)!
        const { records } = await log.read(0, 1 << 20)
        assert.equal(decodeBatch(records).records[0].value!.toString(), 'written by the holder')
        // And this process's lock is now the one that keeps others out.
        await assert.rejects(LogManager.open({ dataDir: tmp.dir }), DataDirLockedError)
      } finally {
        await m.close()
      }
    } finally {
      if (child !== undefined) await kill9(child)
      tmp.cleanup()
    }
  })
})
