import * as assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { renderConfigDocs, renderErrorDocs } from '../scripts/docs-content'

const docs = path.resolve(__dirname, '..', '..', 'docs')

describe('docs', () => {
  it('docs/config.md matches the config definitions (run `npm run docs` to regenerate)', () => {
    assert.equal(fs.readFileSync(path.join(docs, 'config.md'), 'utf8'), renderConfigDocs())
  })
  it('docs/errors.md matches the error catalog (run `npm run docs` to regenerate)', () => {
    assert.equal(fs.readFileSync(path.join(docs, 'errors.md'), 'utf8'), renderErrorDocs())
  })
})
