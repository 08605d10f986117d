// Runs `node dist/bin/godwit.js connect-distributed worker.properties` as a child process and
// reports its REST URL and worker id (printed on stdout at start).
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export const GODWIT_BIN = path.join(__dirname, '..', '..', '..', '..', 'bin', 'godwit.js')

export interface DistributedProcess {
  child: ChildProcess
  url: string
  workerId: string
  output(): string
  exited: Promise<number | string>
}

/** Writes a .properties file (backslashes escaped) and returns its path. */
export function writeProps(file: string, props: Record<string, string>): string {
  fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n') + '\n')
  return file
}

export async function spawnDistributed(files: string[], timeoutMs = 20000): Promise<DistributedProcess> {
  const child = spawn(process.execPath, [GODWIT_BIN, 'connect-distributed', ...files], {
    env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  const started = await new Promise<{ url: string; workerId: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const check = (): void => {
      const m = /worker (\S+) of group \S+, REST API on (http:\/\/\S+)/.exec(out)
      if (m !== null) { clearTimeout(timer); resolve({ workerId: m[1]!, url: m[2]! }) }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`worker exited (${code}) before starting:\n${out}`)) })
  })
  return { child, ...started, output: () => out, exited }
}
