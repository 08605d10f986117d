// Runs `godwit broker` as a child process (the compiled CLI) and waits for its listening lines.
import { spawn, type ChildProcess } from 'node:child_process'
import * as path from 'node:path'

export const GODWIT_BIN = path.join(__dirname, '..', '..', '..', 'bin', 'godwit.js')

export interface BrokerProcess {
  child: ChildProcess
  /** "host:port" per node, in node order. */
  nodes: string[]
  output(): string
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>
}

export function startBrokerProcess(args: string[], timeoutMs = 20000): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [GODWIT_BIN, 'broker', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' } })
  let out = ''
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`broker did not start in ${timeoutMs} ms:\n${out}`)) }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      out += chunk.toString()
      if (/godwit broker: cluster \S+ ready/.test(out)) {
        clearTimeout(timer)
        const nodes = [...out.matchAll(/godwit broker: node (\d+) listening on (\S+)/g)].map((m) => m[2])
        resolve({ child, nodes, output: () => out, exited })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => { out += c.toString() })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`broker exited (${code}) before it was ready:\n${out}`)) })
  })
}
