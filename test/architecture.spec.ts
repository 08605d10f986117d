// The layering rules from docs/architecture.md, checked on the source: config imports no other
// layer; core imports only config; connectors imports only config; mirror imports config and
// connectors. No import cycles between files.
import * as assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')
const LAYERS = ['config', 'core', 'connectors', 'mirror'] as const
const ALLOWED: Record<(typeof LAYERS)[number], string[]> = {
  config: ['config'],
  core: ['config', 'core'],
  connectors: ['config', 'connectors'],
  mirror: ['config', 'connectors', 'mirror'],
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(p))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

/**
 * Relative imports of a file, resolved to repo paths. Type-only imports count for layering but
 * not for cycles: they vanish at run time.
 */
function relativeImports(file: string, withTypeOnly = true): string[] {
  const text = fs.readFileSync(file, 'utf8')
  const clause = String.raw`(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*\{[^}]*\})?)`
  const pattern = new RegExp(String.raw`^(?:import|export)(\s+type)?\s+${clause}\s+from\s+'(\.[^']*)'|^import\s+'(\.[^']*)'|require\(\s*'(\.[^']*)'\s*\)`, 'gm')
  const specs = [...text.matchAll(pattern)].filter((m) => withTypeOnly || m[1] === undefined).map((m) => m[2] ?? m[3] ?? m[4])
  return specs.map((s) => {
    const base = path.resolve(path.dirname(file), s)
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate
    return `${base}.ts`
  })
}

const layerOf = (file: string): string => path.relative(ROOT, file).split(path.sep)[0]

describe('architecture', () => {
  const files = LAYERS.flatMap((l) => sourceFiles(path.join(ROOT, l)))

  it('every layer imports only the layers below it', () => {
    const violations: string[] = []
    for (const file of files) {
      const from = layerOf(file) as (typeof LAYERS)[number]
      for (const target of relativeImports(file)) {
        const to = layerOf(target)
        if (!ALLOWED[from].includes(to)) violations.push(`${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`)
      }
    }
    assert.deepEqual(violations, [])
  })

  it('has no import cycles between source files', () => {
    const graph = new Map(files.map((f) => [f, relativeImports(f, false).filter((t) => fs.existsSync(t))]))
    const state = new Map<string, 'visiting' | 'done'>()
    const cycles: string[] = []
    const visit = (f: string, stack: string[]): void => {
      if (state.get(f) === 'done') return
      if (state.get(f) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => path.relative(ROOT, x)).join(' -> '))
        return
      }
      state.set(f, 'visiting')
      for (const t of graph.get(f) ?? []) visit(t, [...stack, f])
      state.set(f, 'done')
    }
    for (const f of files) visit(f, [])
    assert.deepEqual(cycles, [])
  })
})
