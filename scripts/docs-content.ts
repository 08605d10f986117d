// The generated documentation pages. Every ConfigDef a user can set is listed in CONFIG_DEFS;
// importing the modules also registers their error codes in the catalog.
import { errorCatalog, type ConfigDef, type KeySpecs } from '../config'
import { allConfigDefs } from './all-config-defs'
import './all-errors'

export function renderConfigDocs(): string {
  const sections = allConfigDefs().map((d: ConfigDef<KeySpecs>) => d.toMarkdown())
  return ['# Configuration reference', '', 'Generated from the config definitions by `npm run docs`; do not edit by hand.', '', ...sections].join('\n')
}

export function renderErrorDocs(): string {
  const rows = errorCatalog().map((e) => `| \`${e.code}\` | ${e.retriable ? 'yes' : 'no'} | ${e.doc.replace(/\|/g, '\\|')} |`)
  return ['# Error codes', '', 'Every Godwit error carries a stable `code`, a `retriable` flag and its `cause`.',
    'Generated from the error catalog by `npm run docs`; do not edit by hand.', '',
    '| code | retriable | meaning |', '| --- | --- | --- |', ...rows, ''].join('\n')
}
