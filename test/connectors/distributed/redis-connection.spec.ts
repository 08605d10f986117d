import { strict as assert } from 'node:assert'
import { execFileSync } from 'node:child_process'
import * as path from 'node:path'
import { ConfigError } from '../../../config'
import { redisOptions } from '../../../connectors/distributed/redis-connection'
import { freePort, startRedis } from '../../helpers/redis'
import { makeTempDir } from '../../helpers/temp-dir'
import { uniqueName } from '../../helpers/unique'
import { waitFor } from '../../helpers/wait-for'
import { makeWorker } from './fixtures/worker-factory'

describe('connectors/distributed/redis-connection', function () {
  this.timeout(30000)

  it('reads host, port, db, user and password from redis.url, with redis.password overriding', () => {
    assert.deepEqual(redisOptions({ url: 'redis://u:p%40ss@example.com:7000/3' }),
      { host: 'example.com', port: 7000, db: 3, username: 'u', password: 'p@ss' })
    assert.deepEqual(redisOptions({ url: 'redis://h', password: 'x' }), { host: 'h', port: 6379, password: 'x' })
    const t = redisOptions({ url: 'rediss://secure.example:6380', tlsRejectUnauthorized: false })
    assert.deepEqual(t.tls, { servername: 'secure.example', rejectUnauthorized: false })
  })

  it('rejects a URL that is not redis:// or rediss:// with a ConfigError naming it', () => {
    assert.throws(() => redisOptions({ url: 'http://h:1' }), (e: unknown) => e instanceof ConfigError && /must start with redis:\/\//.test(e.message))
    assert.throws(() => redisOptions({ url: 'not a url' }), (e: unknown) => e instanceof ConfigError && /is not a URL/.test(e.message))
    assert.throws(() => redisOptions({ url: 'redis://h/abc' }), /database number/)
  })

  it('joins a group on a password-protected Redis, and fails to start with a clear error on a wrong password', async () => {
    const redis = await startRedis({ password: 's3cret' })
    const group = uniqueName('g')
    const ok = makeWorker(redis.url.replace(':s3cret@', ':wrong@'), group, 'w-ok', { extra: { 'redis.password': 's3cret' } })
    const bad = makeWorker(redis.url.replace(':s3cret@', ':wrong@'), group, 'w-bad')
    try {
      await ok.worker.start()
      await waitFor('leader', () => ok.worker.status().isLeader)
      await assert.rejects(bad.worker.start(), (e: Error & { code?: string }) => e.code === 'REDIS_UNAVAILABLE' && /WRONGPASS|invalid username-password/i.test(e.message))
    } finally {
      await bad.worker.crash()
      await ok.worker.stop()
      await redis.stop()
    }
  })

  it('waits for a Redis that starts after the worker, and gives up after redis.startup.timeout.ms when none does', async () => {
    const port = await freePort()
    const w = makeWorker(`redis://127.0.0.1:${port}`, uniqueName('g'), 'w-early')
    const joining = w.worker.start()
    const redis = await startRedis({ port })
    try {
      await joining
      await waitFor('leader once Redis is up', () => w.worker.status().isLeader)
    } finally {
      await w.worker.stop()
      await redis.stop()
    }
    const nobody = await freePort()
    const lonely = makeWorker(`redis://127.0.0.1:${nobody}`, uniqueName('g'), 'w-lonely', { extra: { 'redis.startup.timeout.ms': '300' } })
    const t0 = Date.now()
    await assert.rejects(lonely.worker.start(), (e: Error & { code?: string }) => e.code === 'REDIS_UNAVAILABLE' && /ECONNREFUSED/.test(e.message))
    assert.ok(Date.now() - t0 < 3000)
  })

  it('speaks TLS to a rediss:// server whose CA is given in redis.tls.ca.location', async () => {
    const tmp = makeTempDir()
    const f = (n: string): string => path.join(tmp.dir, n)
    const ossl = (...args: string[]): void => { execFileSync('openssl', args, { stdio: 'ignore' }) }
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=godwit-test-ca', '-keyout', f('ca.key'), '-out', f('ca.crt'))
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'))
    require('node:fs').writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
    ossl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('ext.cnf'), '-out', f('server.crt'))
    const redis = await startRedis({ tls: { certFile: f('server.crt'), keyFile: f('server.key'), caFile: f('ca.crt') } })
    assert.match(redis.url, /^rediss:\/\//)
    const w = makeWorker(redis.url, uniqueName('g'), 'w-tls', { extra: { 'redis.tls.ca.location': f('ca.crt') } })
    try {
      await w.worker.start()
      await waitFor('leader over TLS', () => w.worker.status().isLeader)
    } finally {
      await w.worker.stop()
      await redis.stop()
      tmp.cleanup()
    }
  })
})
