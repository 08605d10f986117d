// Every API's ACL guard in one table. Only ApiVersions (and SASL's APIs) run unguarded: a test
// checks that every other API the broker serves has a guard, so no new API bypasses the ACLs.
import { ADMIN_GUARDS } from './guards-admin'
import { GROUP_GUARDS } from './guards-groups'
import { TOPIC_GUARDS } from './guards-topics'
import type { GuardTable } from './enforce'

export const GUARDS: GuardTable = { ...TOPIC_GUARDS, ...GROUP_GUARDS, ...ADMIN_GUARDS }
