// The ACL file in the data directory: written atomically, read back on open, refused clearly when broken.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ACL_FILE, AclStore } from '../../../../core/server/acls/acl-store'
import { AclOperation as Op, AclPermissionType as Perm, PatternType as Pat, ResourceType as Res, type AclBinding } from '../../../../core/server/acls/acl-types'
import { makeTempDir } from '../../../helpers/temp-dir'

const ANY = { resourceType: Res.ANY, resourceName: null, patternType: Pat.ANY, principal: null, host: null, operation: Op.ANY, permissionType: Perm.ANY }
const acl = (resourceName: string, over: Partial<AclBinding> = {}): AclBinding => ({
  resourceType: Res.TOPIC, resourceName, patternType: Pat.LITERAL, principal: 'User:alice', host: '*', operation: Op.READ, permissionType: Perm.ALLOW, ...over,
})

describe('core/server/acls/acl-store', () => {
  const temp = makeTempDir('godwit-acl-store-')
  after(() => temp.cleanup())

  it('keeps created and deleted ACLs across reopening, with names in the file', () => {
    const dir = fs.mkdtempSync(path.join(temp.dir, 'a-'))
    const s = AclStore.open(dir)
    assert.equal(s.size, 0)
    s.create([acl('a'), acl('b', { patternType: Pat.PREFIXED, permissionType: Perm.DENY }), acl('a')])
    assert.equal(s.size, 2)
    assert.deepEqual(s.delete([{ ...ANY, resourceName: 'a' }]), [[acl('a')]])
    const again = AclStore.open(dir)
    assert.deepEqual(again.all(), [acl('b', { patternType: Pat.PREFIXED, permissionType: Perm.DENY })])
    const doc = JSON.parse(fs.readFileSync(path.join(dir, ACL_FILE), 'utf8'))
    assert.deepEqual(doc, { version: 1, acls: [{ resourceType: 'TOPIC', resourceName: 'b', patternType: 'PREFIXED', principal: 'User:alice', host: '*', operation: 'READ', permissionType: 'DENY' }] })
    assert.ok(!fs.existsSync(path.join(dir, `${ACL_FILE}.tmp`)))
  })

  it('refuses a broken file, naming it and the bad entry', () => {
    const dir = fs.mkdtempSync(path.join(temp.dir, 'b-'))
    const file = path.join(dir, ACL_FILE)
    fs.writeFileSync(file, '{ not json')
    assert.throws(() => AclStore.open(dir), (e: Error & { code?: string }) => e.code === 'SERVER_ACL_STORE' && e.message.includes(file) && /not valid JSON/.test(e.message))
    const entry = { resourceType: 'TOPIC', resourceName: 'x', patternType: 'LITERAL', principal: 'User:a', host: '*', operation: 'READ', permissionType: 'ALLOW' }
    fs.writeFileSync(file, JSON.stringify({ version: 1, acls: [entry, { ...entry, operation: 'READ_ALL' }] }))
    assert.throws(() => AclStore.open(dir), /ACL #1 .*READ_ALL.* is invalid: unknown or missing fields/)
    fs.writeFileSync(file, JSON.stringify({ version: 1, acls: [{ ...entry, principal: 'alice' }] }))
    assert.throws(() => AclStore.open(dir), /ACL #0 .* is invalid: Invalid principal "alice"/)
  })

  it('leaves memory unchanged when the file cannot be written', () => {
    const dir = fs.mkdtempSync(path.join(temp.dir, 'c-'))
    const s = AclStore.open(dir)
    s.create([acl('a')])
    // A directory where the temp file would go makes the write fail.
    fs.mkdirSync(path.join(dir, `${ACL_FILE}.tmp`))
    assert.throws(() => s.create([acl('b')]), (e: Error & { code?: string }) => e.code === 'SERVER_ACL_STORE')
    assert.throws(() => s.delete([ANY]), (e: Error & { code?: string }) => e.code === 'SERVER_ACL_STORE')
    assert.deepEqual(s.all(), [acl('a')])
  })
})
