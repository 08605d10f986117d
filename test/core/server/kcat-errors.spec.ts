// librdkafka must see partition-level Fetch errors: a consumer asking for an offset past the end
// with auto.offset.reset=error gets "Offset out of range" at once instead of looping.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { startTestCluster, type TestCluster } from '../../helpers/cluster'
import { uniqueName } from '../../helpers/unique'

function kcat(args: string[], input?: string): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = execFile('/usr/bin/kcat', args, { timeout: 15000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr, ms: Date.now() - started })
    })
    if (input !== undefined) child.stdin!.end(input)
  })
}

describe('core/server Fetch errors seen by librdkafka', () => {
  let tc: TestCluster
  before(async () => { tc = await startTestCluster() })
  after(async () => { await tc.stop() })

  it('reports OFFSET_OUT_OF_RANGE for an offset past the end', async () => {
    const topic = uniqueName('kcat-oor')
    assert.equal((await kcat(['-b', tc.brokers, '-P', '-t', topic], 'a\nb\nc\n')).code, 0)
    const r = await kcat(['-b', tc.brokers, '-C', '-t', topic, '-p', '0', '-o', '10', '-e', '-X', 'auto.offset.reset=error'])
    assert.match(r.stderr, /Offset out of range/)
    assert.equal(r.code, 1)
    assert.ok(r.ms < 10000, `kcat took ${r.ms} ms to see the error`)
  })
})
