// Connector plugins by class name. Connect finds plugins on plugin.path; here a plugin is a class
// registered under its full name and aliases (the simple class name, and that name without the
// "Connector" suffix, as Connect's PluginUtils accepts). Modules named in `plugin.path` are
// require()d at start-up so they can register themselves.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ConnectorClass, ConnectorType } from '../api'
import { PluginNotFoundError } from '../errors'
import { closestName, createLogger } from '../../config'

export interface PluginInfo {
  class: string
  type: ConnectorType
  version: string
}

export class PluginRegistry {
  private readonly byName = new Map<string, { className: string; cls: ConnectorClass }>()
  private readonly infos = new Map<string, PluginInfo>()

  /** Registers a connector class under `className` and its derived aliases. */
  register(className: string, cls: ConnectorClass): void {
    const probe = new cls()
    this.infos.set(className, { class: className, type: probe.type, version: probe.version() })
    const simple = className.slice(className.lastIndexOf('.') + 1)
    for (const alias of [className, simple, simple.replace(/Connector$/, '')]) {
      if (alias !== '') this.byName.set(alias, { className, cls })
    }
  }

  /** The canonical class name for a name or alias, or a PluginNotFoundError with a suggestion. */
  resolve(name: string): { className: string; cls: ConnectorClass } {
    const hit = this.byName.get(name)
    if (hit !== undefined) return hit
    const hint = closestName(name, [...this.byName.keys()])
    throw new PluginNotFoundError(`Failed to find any class that implements Connector and which name matches ${name}${hint === undefined ? '' : ` (did you mean '${hint}'?)`}; installed: ${[...this.infos.keys()].join(', ')}`)
  }

  create(name: string): { className: string; connector: InstanceType<ConnectorClass> } {
    const { className, cls } = this.resolve(name)
    return { className, connector: new cls() }
  }

  list(): PluginInfo[] {
    return [...this.infos.values()].sort((a, b) => a.class.localeCompare(b.class))
  }

  /**
   * Loads plugin modules; each should call `register` on the registry passed to its
   * `registerPlugins(registry)` export. Relative paths resolve against the working directory, as
   * Connect's do. Java plugin locations (jars, zips, directories with no JavaScript entry point,
   * as in Kafka's quickstart `plugin.path=libs/connect-file-<v>.jar`) are skipped with an info log:
   * the connectors they hold are built in or unavailable here.
   */
  loadModules(paths: string[]): void {
    for (const p of paths) {
      if (isJavaPluginLocation(p)) {
        createLogger('connect-plugins').info({ path: p }, 'Ignoring a Java plugin location in plugin.path: Godwit loads JavaScript modules that export registerPlugins(registry)')
        continue
      }
      const target = p.startsWith('.') || path.isAbsolute(p) || fs.existsSync(p) ? path.resolve(p) : p
      let mod: { registerPlugins?: (r: PluginRegistry) => void }
      try {
        mod = require(target) as typeof mod
      } catch (e) {
        throw new PluginNotFoundError(`plugin.path entry ${p} cannot be loaded (${(e as Error).message.split('\n')[0]}); list JavaScript modules that export registerPlugins(registry), or remove the entry`, { cause: e })
      }
      if (typeof mod.registerPlugins !== 'function') throw new PluginNotFoundError(`plugin.path entry ${p} does not export registerPlugins(registry); export it, or remove the entry`)
      mod.registerPlugins(this)
    }
  }
}

function isJavaPluginLocation(p: string): boolean {
  if (/\.(jar|zip|class)$/i.test(p)) return true
  try {
    if (!fs.statSync(p).isDirectory()) return false
  } catch {
    return false
  }
  return !['index.js', 'package.json'].some((f) => fs.existsSync(path.join(p, f)))
}
