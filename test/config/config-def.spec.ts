import * as assert from 'node:assert/strict'
import { defineConfig, atLeast, oneOf, ConfigError, parseProperties, closestName } from '../../config'

const Def = defineConfig('example', {
  'segment.bytes': { type: 'int', default: 1073741824, validate: atLeast(14), doc: 'Segment size.' },
  'cleanup.policy': { type: 'list', default: ['delete'], doc: 'Policies.' },
  'compression.type': { type: 'string', default: 'producer', validate: oneOf('producer', 'gzip'), doc: 'Codec.' },
  'bootstrap.servers': { type: 'list', required: true, doc: 'Servers.' },
  'client.id': { type: 'string', doc: 'Optional id.' },
  'enabled': { type: 'boolean', default: true, doc: 'On or off.' },
})

describe('config/config-def', () => {
  it('parses strings into typed values with defaults', () => {
    const c = Def.parse({ 'bootstrap.servers': 'a:1, b:2', 'enabled': 'FALSE', 'segment.bytes': '1024' })
    assert.equal(c['segment.bytes'], 1024)
    assert.deepEqual(c['bootstrap.servers'], ['a:1', 'b:2'])
    assert.deepEqual(c['cleanup.policy'], ['delete'])
    assert.equal(c['enabled'], false)
    assert.equal(c['client.id'], undefined)
    assert.ok(Object.isFrozen(c))
  })

  it('reports every bad key in one error', () => {
    assert.throws(
      () => Def.parse({ 'segment.bytes': '3', 'compression.type': 'lzma', 'enabled': 'yes', 'segmnt.ms': '1' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError)
        const m = (e as Error).message
        assert.match(m, /segment\.bytes: must be at least 14, got 3/)
        assert.match(m, /compression\.type: must be one of producer, gzip, got "lzma"/)
        assert.match(m, /enabled: expected true or false, got "yes"/)
        assert.match(m, /bootstrap\.servers: is required/)
        assert.match(m, /segmnt\.ms: unknown key/)
        assert.match(m, /5 problems/)
        return true
      },
    )
  })

  it('rejects non-integers for int keys', () => {
    assert.throws(() => Def.parse({ 'bootstrap.servers': 'x', 'segment.bytes': '12.5' }), /expected an integer, got "12.5"/)
  })

  it('suggests the closest key', () => {
    assert.equal(closestName('segmnt.bytes', Object.keys(Def.keys)), 'segment.bytes')
    assert.equal(closestName('zzz', Object.keys(Def.keys)), undefined)
  })

  it('renders markdown documentation', () => {
    const md = Def.toMarkdown()
    assert.match(md, /\| `segment.bytes` \| int \| `1073741824` \|/)
    assert.match(md, /\| `bootstrap.servers` \| list \| \(required\) \|/)
  })
})

describe('config/properties', () => {
  it('reads Java properties syntax', () => {
    const p = parseProperties([
      '# comment', '! also comment', 'a=1', 'b : two words ', 'c three', '  d=x\\', '   y', 'e=tab\\tand\\u0041', 'A->B.enabled = true', '',
    ].join('\n'))
    assert.equal(p.get('a'), '1')
    assert.equal(p.get('b'), 'two words ')
    assert.equal(p.get('c'), 'three')
    assert.equal(p.get('d'), 'xy')
    assert.equal(p.get('e'), 'tab\tandA')
    assert.equal(p.get('A->B.enabled'), 'true')
    assert.equal(p.size, 6)
  })
})
