// `npm run bench`: every benchmark in bench/, one child process each, one after another (so
// they never compete for the machine). Each prints its own figures beside its same-run baseline.
// Pass names to run a subset: `npm run bench -- log-append broker-throughput`.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

const wanted = process.argv.slice(2)
const scripts = fs.readdirSync(__dirname)
  .filter((f) => f.endsWith('.js') && f !== path.basename(__filename))
  .map((f) => f.replace(/\.js$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort()

let failed = 0
for (const name of scripts) {
  process.stdout.write(`\n=== bench/${name}\n`)
  const r = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], { stdio: 'inherit' })
  if (r.status !== 0) {
    failed++
    process.stdout.write(`bench/${name} failed (exit ${r.status ?? r.signal})\n`)
  }
}
process.exitCode = failed === 0 ? 0 : 1
