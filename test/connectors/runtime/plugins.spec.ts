import * as assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { builtinPlugins } from '../../../connectors/builtin'
import { PluginNotFoundError } from '../../../connectors/errors'
import { makeTempDir } from '../../helpers/temp-dir'

describe('connectors/runtime/plugins: plugin.path', () => {
  it('skips Java plugin locations from Kafka\'s quickstart files instead of failing start-up', () => {
    const { dir, cleanup } = makeTempDir()
    try {
      fs.mkdirSync(path.join(dir, 'libs'))
      const registry = builtinPlugins()
      const before = registry.list().length
      registry.loadModules(['libs/connect-file-3.9.0.jar', '/opt/connectors/plugin.zip', path.join(dir, 'libs')])
      assert.equal(registry.list().length, before)
      assert.equal(registry.resolve('FileStreamSource').className, 'org.apache.kafka.connect.file.FileStreamSourceConnector')
    } finally {
      cleanup()
    }
  })

  it('loads a JavaScript module given by a path relative to the working directory', () => {
    const registry = builtinPlugins()
    const module = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'test-connectors.js'))
    registry.loadModules([module.startsWith('.') ? module : `./${module}`])
    assert.equal(registry.resolve('CountingSource').className, 'test.CountingSourceConnector')
  })

  it('names the entry and what to do when a module is missing or exports no registerPlugins', () => {
    const registry = builtinPlugins()
    assert.throws(() => registry.loadModules(['/nonexistent/plugin.js']), (e: Error) =>
      e instanceof PluginNotFoundError && /plugin\.path entry \/nonexistent\/plugin\.js cannot be loaded/.test(e.message) && /registerPlugins\(registry\)/.test(e.message))
    assert.throws(() => registry.loadModules([require.resolve('../../../connectors/errors')]), (e: Error) =>
      e instanceof PluginNotFoundError && /does not export registerPlugins\(registry\)/.test(e.message))
  })
})
