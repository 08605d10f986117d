// A real redis-server on an ephemeral port for tests: started in a temp dir, ready when it
// answers PING, stopped (and its dir removed) by stop(). restart() brings it back on the same
// port (with the same data when AOF is on), which is what a Redis outage looks like to clients.
import { spawn, type ChildProcess } from 'node:child_process'
import * as net from 'node:net'
import * as tls from 'node:tls'
import * as fs from 'node:fs'
import { makeTempDir } from './temp-dir'

export interface TestRedisOptions {
  /** appendonly yes + appendfsync always, so a kill -9 and restart keep every write. */
  aof?: boolean
  password?: string
  /** Serve TLS only (rediss://) with this certificate and key (PEM files); clients are not asked for certificates. */
  tls?: { certFile: string; keyFile: string; caFile: string }
  /** Listen on this port (e.g. one a client was already told about); default: a free one. */
  port?: number
  /** Extra redis-server arguments, e.g. ['--maxmemory', '10mb']. */
  args?: string[]
}

export interface TestRedis {
  url: string
  port: number
  /** Graceful stop; removes the data dir. */
  stop(): Promise<void>
  /** Sends a signal (SIGKILL, SIGSTOP, SIGCONT...) to the server process. After SIGKILL/SIGTERM it resolves once the process exited. */
  kill(signal: NodeJS.Signals): Promise<void>
  /** Starts the server again on the same port and dir (after kill or on a running one: kill -9 first). */
  restart(): Promise<void>
}

const REDIS_SERVER = process.env.GODWIT_REDIS_SERVER ?? '/usr/bin/redis-server'

// Servers still running when the test process exits (a test that died before its after hook)
// are killed rather than left behind.
const live = new Set<ChildProcess>()
process.once('exit', () => { for (const p of live) p.kill('SIGKILL') })

/** A free TCP port: bind :0, read it, close. A tiny race remains; start() retries on bind failure. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/** Sends PING over a raw socket; true when the server answers +PONG (or NOAUTH: it is up). */
function ping(port: number, password?: string, caFile?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = caFile === undefined
      ? net.connect(port, '127.0.0.1')
      : tls.connect({ port, host: '127.0.0.1', ca: fs.readFileSync(caFile) })
    let buf = ''
    const done = (ok: boolean): void => { sock.destroy(); resolve(ok) }
    sock.setTimeout(500, () => done(false))
    sock.on('error', () => done(false))
    sock.on(caFile === undefined ? 'connect' : 'secureConnect', () => sock.write(password === undefined ? 'PING\r\n' : `AUTH ${password}\r\nPING\r\n`))
    sock.on('data', (d) => {
      buf += d.toString()
      if (buf.includes('+PONG')) done(true)
      else if (buf.includes('-LOADING')) done(false)
      else if (buf.startsWith('-') && !buf.includes('LOADING')) done(true)
    })
  })
}

export async function startRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const tmp = makeTempDir('godwit-redis-')
  let port = opts.port ?? await freePort()
  let proc: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const launch = async (): Promise<void> => {
    const listen = opts.tls === undefined ? ['--port', String(port)] : [
      '--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.certFile, '--tls-key-file', opts.tls.keyFile,
      '--tls-ca-cert-file', opts.tls.caFile, '--tls-auth-clients', 'no',
    ]
    const args = [
      ...listen, '--bind', '127.0.0.1', '--dir', tmp.dir, '--save', '',
      '--appendonly', opts.aof === true ? 'yes' : 'no', '--daemonize', 'no', '--loglevel', 'warning',
    ]
    if (opts.aof === true) args.push('--appendfsync', 'always')
    if (opts.password !== undefined) args.push('--requirepass', opts.password)
    args.push(...(opts.args ?? []))
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr?.on('data', (d) => { stderr += d.toString() })
    proc = child
    live.add(child)
    exited = new Promise((resolve) => child.once('exit', () => { live.delete(child); resolve() }))
    const deadline = Date.now() + 10000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`)
      if (await ping(port, opts.password, opts.tls?.caFile)) return
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${stderr}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  for (let attempt = 0; ; attempt++) {
    try {
      await launch()
      break
    } catch (e) {
      proc?.kill('SIGKILL')
      await exited
      if (attempt >= 3) { tmp.cleanup(); throw e }
      port = await freePort() // someone took the port between probe and bind
    }
  }

  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const p = proc
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return
    p.kill(signal)
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') await exited
  }

  return {
    url: `${opts.tls === undefined ? 'redis' : 'rediss'}://${opts.password === undefined ? '' : `:${encodeURIComponent(opts.password)}@`}127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill('SIGKILL')
      await launch()
    },
    async stop() {
      proc?.kill('SIGCONT') // a frozen server would ignore SIGTERM until continued
      await kill('SIGTERM')
      tmp.cleanup()
    },
  }
}
