// Errors of the broker's ACL support (wire-level ACL errors are codes in responses, not these).
import { defineError } from '../../../config/errors'

export const AclStoreError = defineError('AclStoreError', 'SERVER_ACL_STORE',
  'The broker\'s ACL file (acls.json in the data directory) cannot be read or written; fix or remove the entry it names (removing the file removes every ACL).')
