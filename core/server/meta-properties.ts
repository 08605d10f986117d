// meta.properties at the root of the data dir, as Kafka keeps it: the cluster id is generated
// once and reused on every start, so clients see the same cluster after a restart.
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseProperties } from '../../config'

/** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding (22 chars). */
function newClusterId(): string {
  return randomBytes(16).toString('base64url')
}

export function loadOrCreateClusterId(dataDir: string, wanted: string | undefined, nodeId: number): string {
  const file = path.join(dataDir, 'meta.properties')
  if (fs.existsSync(file)) {
    const existing = parseProperties(fs.readFileSync(file, 'utf8')).get('cluster.id')
    if (existing !== undefined && existing !== '' && (wanted === undefined || wanted === existing)) return existing
  }
  const clusterId = wanted ?? newClusterId()
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(file, `# Written by godwit broker\nversion=1\ncluster.id=${clusterId}\nnode.id=${nodeId}\n`)
  return clusterId
}
