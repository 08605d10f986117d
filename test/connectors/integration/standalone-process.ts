// Runs `node dist/bin/godwit.js <command> worker.properties connector.properties...` as a child
// process and waits for the line it prints once started (standalone: its REST URL).
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export const GODWIT_BIN = path.join(__dirname, '..', '..', '..', 'bin', 'godwit.js')

export interface WorkerProcess {
  child: ChildProcess
  output(): string
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>
}

export interface StandaloneProcess extends WorkerProcess {
  url: string
}

/** Writes a .properties file (backslashes escaped) and returns its path. */
export function writeProps(file: string, props: Record<string, string>): string {
  fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n') + '\n')
  return file
}

/** Starts `godwit <args>`; resolves with the match of `started` on stdout, rejects if it exits first. */
export async function spawnGodwit(args: string[], started: RegExp, timeoutMs: number): Promise<WorkerProcess & { started: RegExpExecArray }> {
  const child = spawn(process.execPath, [GODWIT_BIN, ...args], {
    env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const check = (): void => {
      const m = started.exec(out)
      if (m !== null) { clearTimeout(timer); resolve(m) }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`worker exited (${code}) before starting:\n${out}`)) })
  })
  return { child, started: match, output: () => out, exited }
}

export async function spawnStandalone(files: string[], timeoutMs = 20000): Promise<StandaloneProcess> {
  const proc = await spawnGodwit(['connect-standalone', ...files], /REST API on (http:\/\/\S+)/, timeoutMs)
  return { child: proc.child, output: proc.output, exited: proc.exited, url: proc.started[1] }
}
