// Runs `node dist/bin/godwit.js connect-standalone worker.properties connector.properties...` as
// a child process and reports its REST URL (printed on stdout at start).
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export const GODWIT_BIN = path.join(__dirname, '..', '..', '..', 'bin', 'godwit.js')

export interface StandaloneProcess {
  child: ChildProcess
  url: string
  output(): string
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>
}

export function writeProps(file: string, props: Record<string, string>): string {
  fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n') + '\n')
  return file
}

export async function spawnStandalone(files: string[], timeoutMs = 20000): Promise<StandaloneProcess> {
  const child = spawn(process.execPath, [GODWIT_BIN, 'connect-standalone', ...files], {
    env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const check = (): void => {
      const m = /REST API on (http:\/\/\S+)/.exec(out)
      if (m !== null) { clearTimeout(timer); resolve(m[1]) }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`worker exited (${code}) before starting:\n${out}`)) })
  })
  return { child, url, output: () => out, exited }
}
