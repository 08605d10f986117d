import { randomBytes } from 'node:crypto'

/** A name no other test uses: topics, groups, connectors. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
}
