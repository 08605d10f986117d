// Regenerates docs/config.md and docs/errors.md from the config definitions and error catalog.
// `node dist/scripts/gen-docs.js` writes them; test/docs.spec.ts fails when they are stale.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { renderConfigDocs, renderErrorDocs } from './docs-content'

const root = path.resolve(__dirname, '..', '..')
fs.writeFileSync(path.join(root, 'docs', 'config.md'), renderConfigDocs())
fs.writeFileSync(path.join(root, 'docs', 'errors.md'), renderErrorDocs())
