// Every user-facing ConfigDef, in the order docs/config.md lists them. Add new ones here.
import type { ConfigDef, KeySpecs } from '../config'

export function allConfigDefs(): ConfigDef<KeySpecs>[] {
  return [] as ConfigDef<KeySpecs>[]
}
