// connectors/ reaches Kafka only through kafkajs: it imports config/ and npm packages, never core/
// or mirror/ (the wire protocol is the contract).
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'

const ROOT = path.join(__dirname, '..', '..', '..')

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'distributed' ? [] : sources(p)
    return e.name.endsWith('.ts') ? [p] : []
  })
}

describe('connectors: layering', () => {
  it('imports only config/, itself and npm packages', () => {
    const bad: string[] = []
    for (const file of sources(path.join(ROOT, 'connectors'))) {
      const text = fs.readFileSync(file, 'utf8')
      for (const m of text.matchAll(/(?:from\s+|require\()\s*'([^']+)'/g)) {
        const spec = m[1]
        if (!spec.startsWith('.')) continue
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec))
        if (!target.startsWith('connectors') && !target.startsWith('config') && !target.startsWith(path.join('bin', 'command'))) bad.push(`${path.relative(ROOT, file)} -> ${spec}`)
      }
    }
    assert.deepEqual(bad, [])
  })
})
