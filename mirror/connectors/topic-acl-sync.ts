// Topic ACL sync (sync.topic.acls.enabled), as MM2 does it: the source's literal TOPIC ACLs of
// replicated topics are created on the target for the remote topic names. ALLOW WRITE is never
// copied and ALLOW ALL becomes ALLOW READ, so only MirrorMaker writes remote topics; other
// entries (DENY included) are copied as they are. A cluster without ACL support (Kafka or Godwit's
// broker without an authorizer) is noticed once, logged once, and left alone.
import {
  AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes,
  type Admin, type AclEntry, type DescribeAclResource,
} from 'kafkajs'
import type { Logger } from '../../config'

/** The target ACLs for the source ACLs of `topics` (source name -> remote name). Pure. */
export function remoteTopicAcls(resources: DescribeAclResource[], topics: Map<string, string>): AclEntry[] {
  const out: AclEntry[] = []
  const seen = new Set<string>()
  for (const r of resources) {
    if (r.resourceType !== AclResourceTypes.TOPIC || r.resourcePatternType !== ResourcePatternTypes.LITERAL) continue
    const remote = topics.get(r.resourceName)
    if (remote === undefined) continue
    for (const acl of r.acls) {
      const allow = acl.permissionType === AclPermissionTypes.ALLOW
      if (allow && acl.operation === AclOperationTypes.WRITE) continue
      const operation = allow && acl.operation === AclOperationTypes.ALL ? AclOperationTypes.READ : acl.operation
      const entry: AclEntry = {
        resourceType: AclResourceTypes.TOPIC, resourceName: remote, resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: acl.principal, host: acl.host, operation, permissionType: acl.permissionType,
      }
      const key = JSON.stringify(entry)
      if (seen.has(key)) continue
      seen.add(key)
      out.push(entry)
    }
  }
  return out
}

const UNSUPPORTED_NAMES = new Set(['KafkaJSServerDoesNotSupportApiKey', 'KafkaJSNotImplemented'])
const UNSUPPORTED_TYPES = new Set(['UNSUPPORTED_VERSION', 'SECURITY_DISABLED'])

/** True when a cluster answered an ACL request with "this cluster has no ACLs" in any form. */
export function isAclUnsupported(err: unknown): boolean {
  for (let e = err as { name?: string; type?: string; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (UNSUPPORTED_NAMES.has(e.name ?? '') || UNSUPPORTED_TYPES.has(e.type ?? '')) return true
    e = (e.originalError ?? e.cause) as typeof e
  }
  return false
}

export type AclSyncState = 'pending' | 'synced' | 'unsupported'

export class TopicAclSync {
  /** 'unsupported' once a cluster showed it has no ACLs; then sync() does nothing. */
  state: AclSyncState = 'pending'

  constructor(
    private readonly source: Admin,
    private readonly target: Admin,
    private readonly remoteName: (topic: string) => string,
    private readonly log: Logger,
  ) {}

  /** One pass over the replicated `topics`. Never throws for a cluster without ACLs. */
  async sync(topics: string[]): Promise<void> {
    if (this.state === 'unsupported') return
    try {
      const { resources } = await this.source.describeAcls({
        resourceType: AclResourceTypes.TOPIC, resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
      })
      const acl = remoteTopicAcls(resources, new Map(topics.map((t) => [t, this.remoteName(t)])))
      // createAcls adds an ACL that already exists without error, as Kafka's CreateAcls does.
      if (acl.length > 0) await this.target.createAcls({ acl })
      this.state = 'synced'
    } catch (err) {
      if (!isAclUnsupported(err)) throw err
      this.state = 'unsupported'
      this.log.info({ err: { name: (err as Error).name, message: (err as Error).message } }, 'topic ACL sync skipped: the cluster does not support ACLs')
    }
  }
}
