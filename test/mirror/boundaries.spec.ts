import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { decodePartitions, encodePartitions, spreadPartitions } from '../../mirror/connectors/topic-partitions'

/** Source root: dist/test/mirror -> repo root. */
const root = path.resolve(__dirname, '../../..')

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : []
  })
}

describe('mirror/ boundaries', () => {
  it('imports only config/, connectors/ and npm packages (never core/, which it reaches through kafkajs)', () => {
    const bad: string[] = []
    for (const file of sources(path.join(root, 'mirror'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from|require\()\s*'([^']+)'/g)) {
        const spec = m[1]
        if (!spec.startsWith('.')) continue
        const target = path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep)[0]
        // bin/command is a type-only import of the CLI contract.
        if (!['mirror', 'config', 'connectors'].includes(target) && !(target === 'bin' && spec.endsWith('bin/command'))) bad.push(`${path.relative(root, file)}: ${spec}`)
      }
    }
    assert.deepEqual(bad, [])
  })

  it('task.assigned.partitions round-trips (topic names with dashes) and spreads partitions evenly', () => {
    const tps = [{ topic: 'a-b', partition: 0 }, { topic: 'a-b', partition: 1 }, { topic: 'c', partition: 0 }]
    assert.deepEqual(decodePartitions(encodePartitions(tps)), tps)
    assert.deepEqual(decodePartitions(''), [])
    const spread = spreadPartitions([...tps, { topic: 'c', partition: 1 }, { topic: 'd', partition: 0 }], 2)
    assert.deepEqual(spread.map((s) => s.length), [3, 2])
    assert.equal(spreadPartitions(tps, 10).length, 3)
  })
})
